// @vitest-environment happy-dom
/**
 * The tag core: clicks. Outbound links and file downloads are counted with their (email-free)
 * address, `data-tp-event` elements by their name (a click inside one included); links within
 * the site, mailto: and tel: links and plain clicks count nothing. In happy-dom, with an
 * unreachable collector: everything stays queued for inspection. One tag per file.
 */
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { WireEvent } from '../../shared/wire.ts';
import { start } from '../../widget/core.ts';
import { cleanPage, events, HOST, tick } from './tag-env.ts';

beforeEach(cleanPage);

beforeAll(() => {
  // The test page stays where it is: no link is followed.
  document.addEventListener('click', (e) => e.preventDefault());
  start({ site: 'pk_1', host: HOST });
});

/**
 * The click events one click on `html`'s first element (or the element `pick` finds) queued;
 * `as` another kind of click: a middle-click is `auxclick` with button 1, a right-click button 2.
 */
async function clicks(
  html: string,
  pick = (root: HTMLElement) => root.firstElementChild,
  as: { type: string; button: number } = { type: 'click', button: 0 },
) {
  const root = document.createElement('div');
  root.innerHTML = html;
  document.body.append(root);
  const before = (await events()).length;
  (pick(root) as HTMLElement).dispatchEvent(
    new MouseEvent(as.type, { bubbles: true, cancelable: true, button: as.button }),
  );
  await tick();
  root.remove();
  return (await events())
    .slice(before)
    .filter((e) => e.type === 'click')
    .map((e: WireEvent) => ({ name: e.name, href: e.properties?.href }));
}

describe('core: clicks', () => {
  it('counts a middle-click on an outbound link (opened in a new tab), not a right-click', async () => {
    const link = '<a href="https://partner.example/new-tab">Partner</a>';
    const first = (root: HTMLElement) => root.firstElementChild;
    expect(await clicks(link, first, { type: 'auxclick', button: 1 })).toEqual([
      { name: 'outbound', href: 'https://partner.example/new-tab' },
    ]);
    expect(await clicks(link, first, { type: 'auxclick', button: 2 })).toEqual([]);
  });

  it('counts a link to another site as outbound, without the emails in its address', async () => {
    expect(await clicks('<a href="https://partner.example/p?ref=jo@x.io&x=1">Partner</a>')).toEqual(
      [{ name: 'outbound', href: 'https://partner.example/p?ref=&x=1' }],
    );
  });

  it.each([
    'brochure.pdf',
    'deck.PPTX',
    'sheet.xlsx',
    'sheet.xls',
    'letter.docx',
    'letter.doc',
    'app.dmg',
    'setup.exe',
    'data.csv',
    'all.zip',
    'talk.mp4',
    'song.mp3',
  ])('counts a link to %s as a download, on this site too', async (file) => {
    expect(await clicks(`<a href="/files/${file}">File</a>`)).toEqual([
      { name: 'download', href: `${location.origin}/files/${file}` },
    ]);
  });

  it.each([
    ['a page of this site', '<a href="/pricing">Pricing</a>'],
    ['a page named like a file type', '<a href="/docs/pdf-guide">Guide</a>'],
    ['mailto:', '<a href="mailto:sales@acme.example">Mail</a>'],
    ['tel:', '<a href="tel:+84123456789">Call</a>'],
    ['a plain button', '<button type="button">Open</button>'],
  ])('counts nothing for %s', async (_, html) => {
    expect(await clicks(html)).toEqual([]);
  });

  it('counts a data-tp-event element by its name, also when a child is clicked', async () => {
    expect(
      await clicks('<button data-tp-event="book_demo"><span>Book</span></button>', (r) =>
        r.querySelector('span'),
      ),
    ).toEqual([{ name: 'book_demo', href: undefined }]);
  });

  it('counts both for a tagged outbound link', async () => {
    expect(
      await clicks('<a data-tp-event="partner_cta" href="https://partner.example/">Go</a>'),
    ).toEqual([
      { name: 'partner_cta', href: undefined },
      { name: 'outbound', href: 'https://partner.example/' },
    ]);
  });
});
