#!/usr/bin/env node
'use strict';
// Container health check of the API: healthy when GET /health answers 200, that is when the
// event store answers (and can write again after a failed write), the read models answer and
// DATA_DIR has HEALTH_MIN_FREE_DISK_MB free (503 otherwise; docs/deployment.md, "Probes").
// The runtime image is node:*-slim (no curl/wget), hence a Node script.
const http = require('node:http');

const port = Number(process.env.PORT || 3000);
const request = http.get({ host: '127.0.0.1', port, path: '/health', timeout: 4000 }, (response) => {
  response.resume();
  process.exit(response.statusCode === 200 ? 0 : 1);
});
request.on('timeout', () => request.destroy(new Error('timeout')));
request.on('error', (error) => {
  console.error(`GET http://127.0.0.1:${port}/health failed: ${error.message}`);
  process.exit(1);
});
