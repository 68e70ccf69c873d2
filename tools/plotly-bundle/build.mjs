// `make plotly-bundle`: dashboard/vendor/plotly-custom.min.js from the pinned plotly.js, built
// the way plotly.js builds its own dist bundles (esbuild, CSS inlined, an IIFE defining the
// global Plotly that dcc.Graph uses). The output is deterministic: the same inputs give the
// same bytes wherever the checkout lives, so tests/dashboard_ui/test_plotlyjs.py can pin its
// checksum (the CSS plugin names its <style> element after a hash of the file's absolute path:
// that name is replaced by a fixed one).
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import InlineCSSPlugin from 'esbuild-plugin-inline-css';

const here = (path) => fileURLToPath(new URL(path, import.meta.url));
const { version } = JSON.parse(readFileSync(here('node_modules/plotly.js/package.json')));
const traces = 'scatter, bar, candlestick, heatmap';

const output = here('../../dashboard/vendor/plotly-custom.min.js');
const result = await esbuild.build({
    entryPoints: [here('entry.js')],
    outfile: output,
    write: false,
    bundle: true,
    minify: true,
    format: 'iife',
    globalName: 'Plotly',
    target: 'es2016',
    legalComments: 'none',
    plugins: [InlineCSSPlugin()],
    define: { global: 'window', 'define.amd': 'false' },
    banner: {
        js: `/* plotly.js v${version} (${traces}) | Copyright 2012-2026, Plotly, Inc. | MIT license */`,
    },
    logLevel: 'info',
});

const text = result.outputFiles[0].text;
const styleIds = new Set([...text.matchAll(/getElementById\("([0-9a-f]{64})"\)/g)].map((m) => m[1]));
let stable = text;
for (const id of styleIds) stable = stable.replaceAll(id, 'plotly-js-style');
writeFileSync(output, stable);
console.log(`${output}: ${stable.length} bytes, ${styleIds.size} inlined stylesheet(s)`);
