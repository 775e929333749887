// Runs replay batches concurrently without reordering any entity's ops: the round trip, not the
// write, dominates a commit, so batches of disjoint entities go out together, while a batch that
// shares an entity with an earlier one starts only once that one has settled.

export interface KeyedTask {
  /** The entities the task touches; tasks sharing one run in submission order. */
  readonly entityKeys: ReadonlySet<string>;
}

/**
 * Runs `run` for every task, at most `concurrency` at once (a task waiting for an earlier one
 * holds its slot); a function is asked again before each task, so the limit may adapt as tasks settle. A task that throws still counts as settled for the tasks after it, which all
 * run; the first error is thrown once every task has settled.
 */
export async function runInEntityOrder<Task extends KeyedTask>(tasks: Iterable<Task>, concurrency: number | (() => number), run: (task: Task) => Promise<void>): Promise<void> {
  const limit = (): number => Math.max(1, typeof concurrency === 'number' ? concurrency : concurrency());
  const lastTaskOf = new Map<string, Promise<void>>();
  const running = new Set<Promise<void>>();
  let failure: { error: unknown } | null = null;
  for (const task of tasks) {
    const earlier = [...task.entityKeys].map((key) => lastTaskOf.get(key)).filter((pending): pending is Promise<void> => pending !== undefined);
    while (running.size >= limit()) await Promise.race(running);
    const settled: Promise<void> = Promise.all(earlier)
      .then(() => run(task))
      .catch((error: unknown) => {
        failure ??= { error };
      })
      .finally(() => running.delete(settled));
    running.add(settled);
    for (const key of task.entityKeys) lastTaskOf.set(key, settled);
  }
  await Promise.all(running);
  if (failure) throw (failure as { error: unknown }).error;
}
