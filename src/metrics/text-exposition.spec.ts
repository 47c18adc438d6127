import { openMetricsToText } from './text-exposition.ts';

describe('the text view of the OpenMetrics exposition', () => {
  it('drops exemplars and # EOF, and names counter families with _total as the text format does', () => {
    const open = [
      '# HELP http_requests HTTP responses.',
      '# TYPE http_requests counter',
      'http_requests_total{route="/score"} 3',
      '# HELP http_request_duration_seconds Time.',
      '# TYPE http_request_duration_seconds histogram',
      'http_request_duration_seconds_bucket{le="0.5",route="/score"} 2 # {trace_id="0af7651916cd43dd8448eb211c80319c"} 0.42 1733212800.123',
      'http_request_duration_seconds_count{route="/score"} 2',
      '# HELP up_gauge A gauge.',
      '# TYPE up_gauge gauge',
      'up_gauge 1',
      '# EOF',
      '',
    ].join('\n');
    expect(openMetricsToText(open)).toBe(
      [
        '# HELP http_requests_total HTTP responses.',
        '# TYPE http_requests_total counter',
        'http_requests_total{route="/score"} 3',
        '# HELP http_request_duration_seconds Time.',
        '# TYPE http_request_duration_seconds histogram',
        'http_request_duration_seconds_bucket{le="0.5",route="/score"} 2',
        'http_request_duration_seconds_count{route="/score"} 2',
        '# HELP up_gauge A gauge.',
        '# TYPE up_gauge gauge',
        'up_gauge 1',
        '',
      ].join('\n'),
    );
  });
});
