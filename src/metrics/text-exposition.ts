/**
 * The Prometheus text format (0.0.4) of an OpenMetrics exposition from prom-client: no exemplars, no
 * `# EOF`, counters named with their `_total` as the text format has them. One registry (OpenMetrics,
 * the only one prom-client keeps exemplars on) serves both formats: rendering the same metric objects
 * through two registries does not work, because prom-client renames counters while rendering OpenMetrics.
 */
export function openMetricsToText(openMetrics: string): string {
  const lines = openMetrics.split('\n').filter((line) => line !== '# EOF');
  const counters = new Set(lines.flatMap((line) => /^# TYPE (\S+) counter$/.exec(line)?.[1] ?? []));
  return lines
    .map((line) => {
      const meta = /^# (HELP|TYPE) (\S+)( .*)?$/.exec(line);
      if (meta) return counters.has(meta[2]!) ? `# ${meta[1]} ${meta[2]}_total${meta[3] ?? ''}` : line;
      // A sample with an exemplar: `name{labels} value # {trace_id="…"} value timestamp`.
      return line.replace(/ # \{.*\} \S+( \S+)?$/, '');
    })
    .join('\n');
}
