/**
 * Part of `npm run build`: bundles the compiled service (dist/main.js and the SQLite writer thread)
 * into dist/bundle/, which the image's CMD runs. One file instead of ~2,300 module files to find, read
 * and compile is most of what start-up cost (bench/RESULTS.md). dist/bundle/ sits as deep as dist/http/
 * and dist/build/, so the paths the code derives from its own location (the game's files, build-info,
 * package.json, the writer thread beside it) hold in both layouts.
 *
 * Left out, loaded from node_modules at run time: native addons (better-sqlite3), TypeORM (it loads its
 * database drivers by name, and only runs the migrations), and every optional package a dependency
 * tries to load that is not installed (Nest's microservices, websockets, class-validator, …): those
 * imports fail at run time exactly as they do unbundled, where the dependency expects and handles it.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { build, type Plugin } from 'esbuild';

const ROOT = join(import.meta.dirname, '..');
const DIST = join(ROOT, 'dist');

/** Loaded from node_modules at run time; see above. */
const EXTERNAL = ['better-sqlite3', 'typeorm', 'pg-native'];

/** A bare import esbuild cannot resolve is an optional package that is not installed: left as it is. */
const optionalPackagesStayImports: Plugin = {
  name: 'optional-packages-stay-imports',
  setup(bundler) {
    bundler.onResolve({ filter: /^[^./]/ }, async (args) => {
      if (args.pluginData === 'probe') return undefined;
      const found = await bundler.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, importer: args.importer, pluginData: 'probe' });
      return found.errors.length > 0 ? { path: args.path, external: true } : undefined;
    });
  },
};

/**
 * Node's http module as CommonJS. An ES `import … from 'node:http'` makes Node build the module's ES
 * facade, which reads every export once — among them the lazy `WebSocket`/`MessageEvent` getters, which
 * load undici: ~35 ms of every start for a client the service never uses. `require()` hands the module
 * over as it is. (Only http has such getters among the built-ins the bundle imports.)
 */
const REQUIRED_AS_COMMONJS = /^(node:)?http$/;
const httpThroughRequire: Plugin = {
  name: 'http-through-require',
  setup(bundler) {
    bundler.onResolve({ filter: REQUIRED_AS_COMMONJS }, (args) => (args.namespace === 'commonjs-builtin' ? undefined : { path: args.path.replace(/^(node:)?/, 'node:'), namespace: 'commonjs-builtin' }));
    bundler.onLoad({ filter: /.*/, namespace: 'commonjs-builtin' }, (args) => ({ contents: `module.exports = require(${JSON.stringify(args.path)});`, loader: 'js' }));
  },
};

/**
 * Nest's two built-in loggers each build an `Intl.DateTimeFormat` when their module loads, to stamp
 * lines this service never writes through them (its Nest logger is pino). Building one loads ICU's
 * locale data: 6.6 MiB of RSS and ~25 ms of every start, side by side. In the bundle the formatter is
 * built on first use instead. Should an upgrade change that line, the build stops here, so the patch
 * is looked at again rather than silently lost.
 */
const NEST_LOGGER_MODULES = /@nestjs[\\/]common[\\/]services[\\/](console-logger|logger)\.service\.js$/;
const FORMATTER_AT_LOAD = /const dateTimeFormatter = new Intl\.DateTimeFormat\(([^;]*)\);/;
const nestTimestampFormatterOnFirstUse: Plugin = {
  name: 'nest-timestamp-formatter-on-first-use',
  setup(bundler) {
    bundler.onLoad({ filter: NEST_LOGGER_MODULES }, async (args) => {
      const source = await readFile(args.path, 'utf8');
      if (!FORMATTER_AT_LOAD.test(source)) throw new Error(`${args.path} no longer builds its date formatter as scripts/bundle.ts expects: is the patch still needed?`);
      const lazy = 'let dateTimeFormatterBuilt; const dateTimeFormatter = { format: (date) => (dateTimeFormatterBuilt ??= new Intl.DateTimeFormat($1)).format(date) };';
      return { contents: source.replace(FORMATTER_AT_LOAD, lazy), loader: 'js' };
    });
  },
};

await build({
  // Side by side: the service finds its writer thread's module beside its own.
  entryPoints: [
    { in: join(DIST, 'main.js'), out: 'main' },
    { in: join(DIST, 'scores', 'sqlite-writer.worker.js'), out: 'sqlite-writer.worker' },
  ],
  outdir: join(DIST, 'bundle'),
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node24',
  // Chained through tsc's maps: stack traces name the TypeScript sources.
  sourcemap: 'linked',
  // The sources' text stays out of the map: parsing a 9.6 MB map cost ~350 ms of every start-up.
  sourcesContent: false,
  external: EXTERNAL,
  plugins: [httpThroughRequire, nestTimestampFormatterOnFirstUse, optionalPackagesStayImports],
  // CommonJS dependencies inside an ES module bundle still call require() for Node's built-ins.
  banner: { js: "import { createRequire as __bundleRequire } from 'node:module'; const require = __bundleRequire(import.meta.url);" },
  // No keepNames: it wraps every closure created at run time in a defineProperty call (3% of CPU on
  // GET /leaderboard). Without it, a class esbuild had to rename logs as such ("AppModule2"); Nest's
  // injection works on the classes themselves, not their names.
  // Whitespace and syntax only (names stay, for logs and stack traces): a third less source for V8 to
  // read, parse and keep. Side by side, traced, with the compile cache: spawn → ready 571 → 513 ms
  // (medians of 8), idle RSS 114.1 → 111.6 MiB.
  minifyWhitespace: true,
  minifySyntax: true,
  logLevel: 'warning',
});
