// A line diff (longest common subsequence) of two texts, for comparing two versions of a definition.

/** [{op: ' ' | '-' | '+', line}] turning a into b. Texts here are definitions: a few hundred lines at most. */
export function diffLines(a, b) {
  const x = a === '' ? [] : a.split('\n');
  const y = b === '' ? [] : b.split('\n');
  const n = x.length;
  const m = y.length;
  const lcs = Array.from({length: n + 1}, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i][j] = x[i] === y[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
    }
  }
  const out = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (x[i] === y[j]) {
      out.push({op: ' ', line: x[i++]});
      j++;
    } else if (lcs[i + 1][j] >= lcs[i][j + 1]) {
      out.push({op: '-', line: x[i++]});
    } else {
      out.push({op: '+', line: y[j++]});
    }
  }
  while (i < n) {
    out.push({op: '-', line: x[i++]});
  }
  while (j < m) {
    out.push({op: '+', line: y[j++]});
  }
  return out;
}
