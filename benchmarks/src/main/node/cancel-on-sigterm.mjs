// The shutdown pattern the BLACKBOX docs show for Node.js, written fresh for the benchmark:
// keep the active task ids; on SIGTERM send one stop per task with fetch, wait for all with
// Promise.allSettled, then exit. Each request may take at most BUDGET_MS (10 s, like Lastcall's
// default timeout); they all start at once, so that is also the bound on the whole wait.
//
//   BLACKBOX_API_KEY=bb_... BLACKBOX_BASE_URL=http://127.0.0.1:PORT node cancel-on-sigterm.mjs IDS_FILE
import { readFileSync } from 'node:fs';

const BASE_URL = process.env.BLACKBOX_BASE_URL ?? 'https://cloud.blackbox.ai';
const API_KEY = process.env.BLACKBOX_API_KEY;
const BUDGET_MS = Number(process.env.BUDGET_MS ?? 10000);

const activeTasks = new Set(
  readFileSync(process.argv[2], 'utf8').split('\n').map((s) => s.trim()).filter(Boolean));

async function cancelTask(taskId) {
  const response = await fetch(`${BASE_URL}/api/tasks/${taskId}`, {
    method: 'PATCH',
    headers: { Authorization: `Bearer ${API_KEY}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ action: 'stop' }),
    signal: AbortSignal.timeout(BUDGET_MS),
  });
  if (!response.ok) {
    throw new Error(`HTTP ${response.status}`);
  }
  return response.json();
}

process.on('SIGTERM', async () => {
  const started = Date.now();
  const results = await Promise.allSettled([...activeTasks].map(cancelTask));
  const stopped = results.filter((r) => r.status === 'fulfilled').length;
  console.error(`hook: ${results.length} sent, ${stopped} stopped, ${results.length - stopped} failed in ${Date.now() - started} ms`);
  process.exit(0);
});

console.log(`READY ${activeTasks.size}`);
setInterval(() => {}, 1 << 30); // stay alive until signalled
