/**
 * Hidden text: what a page's reader never sees but a program reading its HTML would — the
 * classic carrier of instructions planted for AI systems (display:none, visibility:hidden,
 * zero opacity, a tiny font, white on white, text pushed off screen, the hidden and
 * aria-hidden attributes, and classes a <style> block hides). It is not the article, so it
 * is removed before the article is read; when it talks to a machine ("note to AI
 * summarizers…") it is counted as a planted instruction, so the brief can say so.
 */
import { addressesMachine } from '../../text/instructions.ts';
import { splitSentences } from '../../text/sentences.ts';
import type { DomDocument, DomElement } from './dom.ts';

const WHITE = /^(?:white|#fff(?:f{3})?|rgba?\(\s*255\s*,\s*255\s*,\s*255\s*(?:,\s*1(?:\.0*)?\s*)?\))$/i;

/** Declarations of one style attribute or rule, lower-cased property → value. */
function declarations(style: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of style.split(';')) {
    const colon = part.indexOf(':');
    if (colon < 0) continue;
    out.set(
      part.slice(0, colon).trim().toLowerCase(),
      part
        .slice(colon + 1)
        .replace(/!important/i, '')
        .trim()
        .toLowerCase(),
    );
  }
  return out;
}

/** A CSS length at or below what anyone could read ("0", "1px", "0.1em", "10%"). */
function tinyLength(value: string): boolean {
  const m = /^(-?\d*\.?\d+)\s*(px|pt|em|rem|%|vw|vh)?$/.exec(value);
  if (!m) return false;
  const n = Number(m[1]);
  const unit = m[2] ?? 'px';
  if (n <= 0) return true;
  if (unit === 'px' || unit === 'pt') return n <= 2;
  if (unit === 'em' || unit === 'rem') return n <= 0.2;
  if (unit === '%') return n <= 20;
  return n <= 0.3;
}

/** True when a set of declarations hides the element's text from a sighted reader. */
export function hidesText(style: string): boolean {
  const d = declarations(style);
  if (d.get('display') === 'none') return true;
  if (/^(?:hidden|collapse)$/.test(d.get('visibility') ?? '')) return true;
  const opacity = d.get('opacity');
  if (opacity !== undefined && Number(opacity) <= 0.05) return true;
  const size = d.get('font-size');
  if (size !== undefined && tinyLength(size)) return true;
  const color = d.get('color');
  const background = d.get('background-color') ?? d.get('background');
  if (color === 'transparent') return true;
  if (color !== undefined && WHITE.test(color) && (background === undefined || WHITE.test(background))) return true;
  if (color !== undefined && background !== undefined && color === background) return true;
  for (const side of ['left', 'top', 'text-indent', 'margin-left']) {
    const m = /^(-\d+(?:\.\d+)?)px$/.exec(d.get(side) ?? '');
    if (m && Number(m[1]) <= -999) return true;
  }
  if (/rect\(\s*0[^)]*\)/.test(d.get('clip') ?? '') || /inset\(\s*(?:50%|100%)/.test(d.get('clip-path') ?? '')) return true;
  const height = d.get('height');
  const width = d.get('width');
  if (d.get('overflow') === 'hidden' && ((height !== undefined && tinyLength(height)) || (width !== undefined && tinyLength(width))))
    return true;
  return false;
}

/** Simple selectors (".cls", "#id", "span.cls") that a page's <style> blocks hide. */
function hiddenSelectors(doc: DomDocument): string[] {
  const selectors: string[] = [];
  const styles = doc.querySelectorAll('style');
  for (let i = 0; i < styles.length; i++) {
    const css = (styles[i]?.textContent ?? '').replace(/\/\*[\s\S]*?\*\//g, '');
    for (const rule of css.matchAll(/([^{}]{1,300})\{([^{}]{0,2000})\}/g)) {
      if (!hidesText(rule[2]!)) continue;
      for (const selector of rule[1]!.split(',')) {
        const s = selector.trim();
        if (/^[a-z]*(?:[.#][\w-]+)+$/i.test(s)) selectors.push(s);
      }
    }
  }
  return selectors;
}

function textLength(element: DomElement): number {
  return (element.textContent ?? '').replace(/\s+/g, ' ').length;
}

/** Sentences of hidden text that talk to a machine. */
function instructionsIn(text: string): number {
  return splitSentences(text).filter(addressesMachine).length;
}

/**
 * Removes hidden elements from the document; returns how many planted instructions (hidden
 * sentences addressed to a machine) went with them. An element holding most of the page's
 * text is kept unless it addresses a machine: some sites hide the whole article until a
 * script shows it.
 */
export function removeHiddenText(doc: DomDocument): number {
  const body = doc.body;
  if (!body) return 0;
  const bodyLength = Math.max(1, textLength(body));
  const candidates: DomElement[] = [];
  const seen = new Set<DomElement>();
  const collect = (list: ArrayLike<DomElement>, test: (el: DomElement) => boolean): void => {
    for (let i = 0; i < list.length; i++) {
      const el = list[i];
      if (el !== undefined && !seen.has(el) && test(el)) {
        seen.add(el);
        candidates.push(el);
      }
    }
  };
  collect(body.querySelectorAll('[style]'), (el) => hidesText(el.getAttribute('style') ?? ''));
  collect(body.querySelectorAll('[hidden], [aria-hidden="true"]'), () => true);
  for (const selector of hiddenSelectors(doc)) {
    try {
      collect(body.querySelectorAll(selector), () => true);
    } catch {
      // A selector linkedom cannot read hides nothing we can find.
    }
  }
  const attached = (el: DomElement): boolean => {
    let node: DomElement['parentNode'] = el.parentNode;
    for (let depth = 0; node !== null && depth < 1000; depth++) {
      if (node === body) return true;
      node = node.parentNode;
    }
    return false;
  };
  let planted = 0;
  for (const el of candidates) {
    // Inside an element already removed: its text was counted with that element.
    if (!attached(el)) continue;
    const text = el.textContent ?? '';
    const instructions = instructionsIn(text);
    if (instructions === 0 && textLength(el) >= 0.5 * bodyLength) continue;
    planted += instructions;
    el.remove();
  }
  return planted;
}
