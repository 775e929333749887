// Hovers as a Markdown renderer reads them: markdown-it with raw HTML and bare-URL links on (GFM
// autolinks, as VS Code renders them), the most a client might make of a hover's text.
import MarkdownIt from 'markdown-it';

const renderer = new MarkdownIt({ html: true, linkify: true });

export interface RenderedMarkdown {
  /** Every token type seen, block and inline (`link_open`, `html_inline`, `em_open`, …). */
  tokenTypes: Set<string>;
  /** The text of each **strong** run. */
  strong: string[];
  /** Each inline code span's content. */
  code: string[];
  /** Each table cell's text, row by row (header first). */
  cells: string[][];
}

export function renderMarkdown(markdown: string): RenderedMarkdown {
  const rendered: RenderedMarkdown = { tokenTypes: new Set(), strong: [], code: [], cells: [] };
  let cell: string | null = null;
  for (const block of renderer.parse(markdown, {})) {
    rendered.tokenTypes.add(block.type);
    if (block.type === 'tr_open') rendered.cells.push([]);
    if (block.type === 'th_open' || block.type === 'td_open') cell = '';
    if (block.type === 'th_close' || block.type === 'td_close') {
      rendered.cells[rendered.cells.length - 1].push(cell ?? '');
      cell = null;
    }
    let strong: string | null = null;
    for (const token of block.children ?? []) {
      rendered.tokenTypes.add(token.type);
      const text = token.type === 'text' || token.type === 'code_inline' ? token.content : '';
      if (token.type === 'strong_open') strong = '';
      else if (token.type === 'strong_close') {
        rendered.strong.push(strong ?? '');
        strong = null;
      } else if (strong !== null) strong += text;
      if (token.type === 'code_inline') rendered.code.push(token.content);
      if (cell !== null) cell += text;
    }
  }
  return rendered;
}

/** Token types that only data could have produced: the hovers themselves never link, embed or emphasise. */
export const tokenTypesFromData = ['link_open', 'image', 'html_inline', 'html_block', 'em_open', 's_open', 'heading_open', 'fence', 'code_block'];
