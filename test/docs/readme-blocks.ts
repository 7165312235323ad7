/**
 * The code blocks of a Markdown document (README.md, a guide in docs/), as the example test runs them: every fenced block with its language,
 * its line, the `<!-- example: ... -->` marker just before it, and the untagged block right after
 * it (a sample of its output). Also finds shell commands written where the test would miss them
 * (an untagged or indented block), so that no example escapes the test silently.
 *
 * Markers (an HTML comment on the line before the block, so readers of the rendered page never
 * see it):
 * - `<!-- example: not run (why) -->`: the block is not executed; the reason is required.
 * - `<!-- example: sqlite3 <database> -->`: an ```sql block is run by the sqlite3 shell on that
 *   database, which an earlier example made.
 */

/** The languages the test executes. */
export const RUNNABLE = ['sh', 'bash', 'python', 'sql'] as const;
export type Language = (typeof RUNNABLE)[number];

export interface CodeBlock {
  /** The document it is in, relative to the repository (`README.md`, `docs/excel.md`), for messages. */
  file: string;
  /** The fence's info string, e.g. `sh`; empty for an untagged block. */
  info: string;
  code: string;
  /** 1-based line of the opening fence. */
  line: number;
  /** The text of an `<!-- example: ... -->` comment on the line before the fence. */
  marker?: string;
  /** The untagged block that follows with nothing but blank lines between: a sample output. */
  output?: string;
  /**
   * The ```json block that follows with no heading between: a sample of the JSON this example
   * prints, or, for an untagged `GET /api/...` line, of the server's answer to that request.
   */
  json?: string;
}

export type Marker = { kind: 'run' } | { kind: 'not run'; reason: string } | { kind: 'sqlite3'; database: string };

const FENCE = /^(\s*)(`{3,})(.*)$/;
const MARKER = /^\s*<!--\s*example:\s*(.*?)\s*-->\s*$/;
/** A line that starts a shell command the test could run: `curl ...`, `HTTPS=0 npm start`. */
const COMMAND = /^(?:[A-Z_]+=\S*\s+)*(?:curl|npm|npx|node|sqlite3|python3?|pip3?)\s/;

export function codeBlocks(markdown: string, file = 'README.md'): CodeBlock[] {
  const lines = markdown.split('\n');
  const blocks: CodeBlock[] = [];
  let previous: { block: CodeBlock; endLine: number } | undefined;
  for (let i = 0; i < lines.length; i++) {
    const open = FENCE.exec(lines[i]);
    if (!open) continue;
    const [, indent, fence, info] = open;
    const body: string[] = [];
    let j = i + 1;
    while (j < lines.length && !(lines[j].trim().startsWith(fence) && lines[j].trim().replace(/`/g, '') === '')) {
      body.push(lines[j].startsWith(indent) ? lines[j].slice(indent.length) : lines[j].trimStart());
      j++;
    }
    const block: CodeBlock = { file, info: info.trim(), code: body.join('\n') + '\n', line: i + 1, marker: markerBefore(lines, i) };
    const between = previous === undefined ? [] : lines.slice(previous.endLine + 1, i);
    if (previous && block.info === '' && between.every((l) => l.trim() === '')) previous.block.output = block.code;
    if (previous && block.info === 'json' && !between.some((l) => /^\s*#/.test(l))) previous.block.json = block.code;
    blocks.push(block);
    previous = { block, endLine: j };
    i = j;
  }
  return blocks;
}

function markerBefore(lines: string[], fenceIndex: number): string | undefined {
  const before = lines[fenceIndex - 1];
  if (before === undefined) return undefined;
  return MARKER.exec(before)?.[1];
}

/** What the block's marker asks; throws, saying how to write it, for a marker it cannot read. */
export function parseMarker(block: CodeBlock): Marker {
  if (block.marker === undefined) return { kind: 'run' };
  const notRun = /^not run \((.+)\)$/.exec(block.marker);
  if (notRun) return { kind: 'not run', reason: notRun[1] };
  const sqlite = /^sqlite3 (\S+)$/.exec(block.marker);
  if (sqlite) return { kind: 'sqlite3', database: sqlite[1] };
  throw new Error(
    `${block.file}:${block.line}: unknown marker '<!-- example: ${block.marker} -->'; write '<!-- example: not run (why) -->' or '<!-- example: sqlite3 <database> -->'`,
  );
}

export function isRunnable(block: CodeBlock): block is CodeBlock & { info: Language } {
  return (RUNNABLE as readonly string[]).includes(block.info);
}

/**
 * Shell commands the test would not see: in an untagged fenced block, or in an indented code
 * block. Each is reported as `<file>:<line>: <command>`.
 */
export function hiddenCommands(markdown: string, blocks: CodeBlock[], file = 'README.md'): string[] {
  const found: string[] = [];
  for (const block of blocks) {
    if (block.info !== '') continue;
    const first = block.code.split('\n').find((l) => l.trim() !== '' && !l.trim().startsWith('#'));
    if (first !== undefined && COMMAND.test(first.trim())) found.push(`${file}:${block.line}: ${first.trim()}`);
  }
  const lines = markdown.split('\n');
  const fenced = new Set<number>();
  for (const block of blocks) for (let l = block.line; l <= block.line + block.code.split('\n').length; l++) fenced.add(l);
  lines.forEach((line, index) => {
    if (!fenced.has(index + 1) && /^ {4,}\S/.test(line) && COMMAND.test(line.trim())) found.push(`${file}:${index + 1}: ${line.trim()}`);
  });
  return found;
}
