export default async function globalTeardown(): Promise<void> {
  await Promise.all((globalThis.__INSIGHTS_ES__ ?? []).map((es) => es.stop()));
}
