// Every picture the README and the walkthrough point at exists and is a real PNG of a sensible size:
// a renamed screenshot, a forgotten `npm run readme-images` or a typo in package.json fails here.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { describe, test } from 'node:test';

const root = join(__dirname, '..', '..', '..');
const maxImageBytes = 200 * 1024;
const pngSignature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

interface WalkthroughStep {
  id: string;
  media: { image?: string | { light: string; dark: string }; markdown?: string; svg?: string };
}

/** Markdown images `![alt](path)` and HTML `<img src="path">`; remote URLs are not files of ours. */
function imageLinks(markdown: string): string[] {
  const links = [...markdown.matchAll(/!\[[^\]]*\]\(\s*([^)\s]+)(?:\s+"[^"]*")?\s*\)/g), ...markdown.matchAll(/<img\b[^>]*\bsrc=["']([^"']+)["']/gi)].map((match) => match[1]!);
  return links.filter((link) => !/^[a-z]+:/i.test(link));
}

function walkthroughMedia(): { step: string; path: string }[] {
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { contributes: { walkthroughs?: { steps: WalkthroughStep[] }[] } };
  return (manifest.contributes.walkthroughs ?? []).flatMap((walkthrough) =>
    walkthrough.steps.flatMap((step) => {
      const { image, markdown, svg } = step.media;
      const images = typeof image === 'string' ? [image] : image ? [image.light, image.dark] : [];
      return [...images, markdown, svg].filter((path): path is string => typeof path === 'string').map((path) => ({ step: step.id, path }));
    }),
  );
}

function assertPng(path: string, what: string): void {
  const file = join(root, path);
  assert.ok(!isAbsolute(path) && existsSync(file), `${what} points at ${path}, which does not exist`);
  if (!path.endsWith('.png')) return;
  assert.deepEqual(readFileSync(file).subarray(0, 8), pngSignature, `${path} is a PNG`);
  assert.ok(statSync(file).size <= maxImageBytes, `${path} is ${Math.round(statSync(file).size / 1024)} KB, over 200 KB: run npm run readme-images`);
}

describe('README and walkthrough images', () => {
  test('finds image links in both markdown and HTML forms', () => {
    assert.deepEqual(imageLinks('![a](media/a.png) ![b](media/b.png "title") <img src="media/c.png" width="10"> ![d](https://x/y.png)'), ['media/a.png', 'media/b.png', 'media/c.png']);
  });

  test('every image the README shows exists', () => {
    const links = imageLinks(readFileSync(join(root, 'README.md'), 'utf8'));
    assert.ok(links.length >= 6, `the README shows its screenshots (found ${links.length})`);
    for (const link of links) assertPng(decodeURI(link), 'README.md');
  });

  test('every walkthrough step has an image that exists', () => {
    const media = walkthroughMedia();
    assert.ok(media.length >= 4, 'the walkthrough has a picture per step');
    for (const { step, path } of media) assertPng(path, `walkthrough step ${step}`);
  });
});
