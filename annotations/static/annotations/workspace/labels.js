// The labels as annotations/labels.py describes them (value, name, key, needsSource), read
// from the page's json_script block: the script keeps no list of labels of its own.

const LABELS = JSON.parse(document.getElementById("label-data").textContent);

export const labelName = (value) => LABELS.find((l) => l.value === value)?.name ?? value;
export const labelForKey = (key) => LABELS.find((l) => l.key === key)?.value;
export const citesSource = (value) => LABELS.some((l) => l.value === value && l.needsSource);
