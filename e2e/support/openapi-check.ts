import { Ajv2020 } from 'ajv/dist/2020.js';

interface Recorded {
  method: string;
  path: string;
  status: number;
  contentType: string;
  body: Promise<string>;
}

type Document = { paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, unknown> }> }>> };

/**
 * The answers a suite received, checked against the service's own OpenAPI document: on a documented
 * path and method, the status must be declared (exactly or as `5XX`), and a JSON body must match the
 * declared schema (ajv, JSON Schema 2020-12 as OpenAPI 3.1 uses it).
 */
export class OpenApiRecorder {
  private readonly recorded: Recorded[] = [];

  readonly record = (method: string, path: string, response: Response): void => {
    const body = response.text().catch(() => '');
    this.recorded.push({ method: method.toLowerCase(), path: path.split('?')[0] as string, status: response.status, contentType: response.headers.get('content-type') ?? '', body });
  };

  /** How many answers fell on documented operations (the check is only as good as its coverage). */
  async problems(document: Document): Promise<{ checked: number; problems: string[] }> {
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    ajv.addFormat('date-time', true);
    ajv.addSchema({ ...document, $id: 'openapi' });
    const pointer = (...parts: string[]) => parts.map((p) => p.replace(/~/g, '~0').replace(/\//g, '~1')).join('/');
    const problems: string[] = [];
    let checked = 0;
    for (const answer of this.recorded) {
      const operation = document.paths[answer.path]?.[answer.method];
      if (!operation) continue;
      checked++;
      const key = String(answer.status) in operation.responses ? String(answer.status) : `${String(answer.status)[0]}XX`;
      const declared = operation.responses[key];
      const what = `${answer.method.toUpperCase()} ${answer.path} → ${answer.status}`;
      if (!declared) {
        problems.push(`${what}: status not declared`);
        continue;
      }
      if (!answer.contentType.startsWith('application/json') || !declared.content?.['application/json']) continue;
      const validate = ajv.getSchema(`openapi#/${pointer('paths', answer.path, answer.method, 'responses', key, 'content', 'application/json', 'schema')}`);
      if (!validate) {
        problems.push(`${what}: no schema to check against`);
        continue;
      }
      const text = await answer.body;
      if (!validate(JSON.parse(text))) problems.push(`${what}: ${ajv.errorsText(validate.errors)} in ${text.slice(0, 200)}`);
    }
    return { checked, problems };
  }
}
