/**
 * Ends `celerity dev` when whatever started it is gone, so that `npm start` killed with SIGKILL
 * leaves nothing running (Node cannot set Linux's PR_SET_PDEATHSIG). The parent is polled: a
 * changed ppid means it died and this process was re-parented. CELERITY_PARENT_PID, set by
 * src/cli/start.mjs, names npm itself, whose script shell outlives it.
 */
const POLL_MS = 1000;

/** Calls `gone` once, within a second of the parent's (or CELERITY_PARENT_PID's) death. */
export function onParentExit(gone: () => void, env: NodeJS.ProcessEnv = process.env): void {
  const parent = process.ppid;
  const named = Number(env.CELERITY_PARENT_PID) || undefined;
  // Children (the Temporal server, tasks' own processes) must not watch npm in turn.
  delete env.CELERITY_PARENT_PID;
  const timer = setInterval(() => {
    if (process.ppid === parent && (named === undefined || isAlive(named))) return;
    clearInterval(timer);
    gone();
  }, POLL_MS);
  timer.unref();
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
