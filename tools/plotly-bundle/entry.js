// plotly.js core (which always carries scatter) plus the trace types the dashboard draws:
// keep in step with TRACE_TYPES in dashboard/plotlyjs.py (a browser test compares them).
'use strict';
var Plotly = require('plotly.js/lib/core');
Plotly.register([
    require('plotly.js/lib/bar'),
    require('plotly.js/lib/candlestick'),
    require('plotly.js/lib/heatmap'),
]);
module.exports = Plotly;
