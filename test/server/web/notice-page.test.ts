import { describe, expect, it } from 'vitest';
import { noticeCss, noticePage } from '../../../server/web/notice-page.ts';

const markup = `<img src=x onerror="alert('x')">&amp;`;
const escaped = '&lt;img src=x onerror=&quot;alert(&#39;x&#39;)&quot;&gt;&amp;amp;';

describe('noticePage', () => {
  const plain = noticePage({ title: 'This company is not set up', paragraphs: ['First.', 'Second.'] });

  it('is a complete HTML document with the title as <title> and <h1>', () => {
    expect(plain).toMatch(/^<!doctype html><html lang="en">/);
    expect(plain).toContain('<title>This company is not set up</title>');
    expect(plain).toContain('<h1>This company is not set up</h1>');
    expect(plain).toContain('<p>First.</p><p>Second.</p>');
  });

  it('links only the shared stylesheet and has no script at all', () => {
    expect(plain).toContain('<link rel="stylesheet" href="/static/notice.css">');
    expect(plain).not.toMatch(/<script|\son\w+=|javascript:|<style/i);
  });

  it('has no link unless given one', () => {
    expect(plain).not.toContain('<a ');
  });

  it('opens its link in a new tab without an opener', () => {
    const html = noticePage({ title: 't', paragraphs: [], link: { href: 'https://pod.example.com/admin', text: 'Open the admin console' } });
    expect(html).toContain('<a href="https://pod.example.com/admin" target="_blank" rel="noopener">Open the admin console</a>');
  });

  it.each([
    ['the title', { title: markup, paragraphs: [] }],
    ['a paragraph', { title: 't', paragraphs: [markup] }],
    ['the link text', { title: 't', paragraphs: [], link: { href: '/admin', text: markup } }],
  ])('escapes HTML in %s', (_what, options) => {
    const html = noticePage(options);
    expect(html).toContain(escaped);
    expect(html).not.toContain('<img');
    expect(html).not.toMatch(/\son\w+="/);
  });

  it('escapes a quote in the link href so it cannot leave the attribute', () => {
    const html = noticePage({ title: 't', paragraphs: [], link: { href: '/admin" onclick="alert(1)', text: 'x' } });
    expect(html).toContain('href="/admin&quot; onclick=&quot;alert(1)"');
    expect(html).not.toContain(' onclick="');
  });

  it('shows a company id from the URL as text', () => {
    const companyId = '"><script>alert(1)</script>';
    const html = noticePage({ title: 'Not set up', paragraphs: [`No settings for "${companyId}".`] });
    expect(html).not.toContain('<script');
    expect(html).toContain('&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;');
  });
});

describe('noticeCss', () => {
  it('is plain CSS with no external resource or expression', () => {
    expect(noticeCss).not.toMatch(/url\(|@import|expression\(/i);
    expect(noticeCss).toContain('prefers-color-scheme:dark');
  });
});
