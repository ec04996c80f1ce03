// The shutdown pattern the BLACKBOX docs show for Node.js, written fresh for the benchmark:
// keep the active task ids; on SIGTERM send one stop per task with fetch, wait for all with
// Promise.allSettled, then exit. Each request may take at most BUDGET_MS (10 s, like Lastcall's
// default timeout); they all start at once, so that is also the bound on the whole wait.
//
//   BLACKBOX_API_KEY=bb_... BLACKBOX_BASE_URL=http://127.0.0.1:PORT node cancel-on-sigterm.mjs IDS_FILE
//
// With CREATE_TASKS=N the app first creates its N tasks itself with fetch (POST /api/tasks, at
// most CREATE_CONCURRENCY at a time, default 50) and writes their ids to IDS_FILE: its fetch client
// then holds warm keep-alive connections at the signal, as a real app's would. Otherwise it reads
// the ids from IDS_FILE. Over HTTPS, trust a private CA with NODE_EXTRA_CA_CERTS=PEM.
import { readFileSync, writeFileSync } from 'node:fs';

const BASE_URL = process.env.BLACKBOX_BASE_URL ?? 'https://cloud.blackbox.ai';
const API_KEY = process.env.BLACKBOX_API_KEY;
const BUDGET_MS = Number(process.env.BUDGET_MS ?? 10000);
const HEADERS = { Authorization: `Bearer ${API_KEY}`, 'Content-Type': 'application/json' };

async function createTask(i) {
  const response = await fetch(`${BASE_URL}/api/tasks`, {
    method: 'POST',
    headers: HEADERS,
    body: JSON.stringify({ prompt: `bench task ${i}` }),
  });
  if (!response.ok) {
    throw new Error(`create: HTTP ${response.status}`);
  }
  return (await response.json()).task.id;
}

async function createTasks(n, concurrency) {
  const ids = [];
  for (let i = 0; i < n; i += concurrency) {
    const batch = [];
    for (let k = i; k < Math.min(n, i + concurrency); k++) batch.push(createTask(k));
    ids.push(...(await Promise.all(batch)));
  }
  return ids;
}

const idsFile = process.argv[2];
let ids;
if (process.env.CREATE_TASKS !== undefined) {
  ids = await createTasks(Number(process.env.CREATE_TASKS), Number(process.env.CREATE_CONCURRENCY ?? 50));
  writeFileSync(idsFile, ids.map((id) => `${id}\n`).join(''));
} else {
  ids = readFileSync(idsFile, 'utf8').split('\n').map((s) => s.trim()).filter(Boolean);
}
const activeTasks = new Set(ids);

async function cancelTask(taskId) {
  const response = await fetch(`${BASE_URL}/api/tasks/${taskId}`, {
    method: 'PATCH',
    headers: HEADERS,
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
