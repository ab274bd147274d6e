/** The GitHub Action's entry (placeholder until the Action issue): it says so and succeeds. */
export async function run(): Promise<void> {
  process.stdout.write('subagent-tracking: the Action is not built yet; nothing to do\n');
}

await run();
