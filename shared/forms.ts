/**
 * Form definitions (DESIGN §5) as TypeScript types: the widget imports these (never zod); the
 * collector validates them with `forms-schema.ts`.
 */

/** The languages forms ship texts for. */
export const LOCALES = ['en', 'vi'] as const;
export type Locale = (typeof LOCALES)[number];

/** A text in one language for every visitor, or per language (`{ en, vi }`). */
export type Localized = string | Partial<Record<Locale, string>>;

export const FIELD_TYPES = [
  'email',
  'text',
  'tel',
  'textarea',
  'select',
  'checkbox',
  'consent',
  'hidden',
] as const;
export type FieldType = (typeof FIELD_TYPES)[number];

export const FORM_KINDS = ['inline', 'popup', 'slide_in', 'bar'] as const;
export type FormKind = (typeof FORM_KINDS)[number];

/** One field of a form. */
export interface FormField {
  /** Key of the value in a submission (`email`, `name`, `company`…); also the trait name. */
  name: string;
  type: FieldType;
  /** Visible label; for `consent`, the consent text stored with the submission. */
  label?: Localized;
  required?: boolean;
  /** Choices of a `select`. */
  options?: { value: string; label?: Localized }[];
  /** Characters; defaults per type (see `validators.ts`). */
  maxLength?: number;
  /** Progressive profiling: skipped when this visitor's value is already known. */
  progressive?: boolean;
  /** Value of a `hidden` field (a URL query parameter of the same name wins). */
  value?: string;
  placeholder?: Localized;
}

/** When a popup, slide-in or bar shows (inline forms show where they are placed). */
export type FormTrigger =
  | { type: 'load' }
  | { type: 'delay'; seconds: number }
  | { type: 'scroll'; percent: number }
  | { type: 'exit_intent' }
  | { type: 'pageviews'; count: number }
  | { type: 'click'; selector: string };

/** Where a form may show. Globs use `*` for any characters; a glob starting with `/` matches the path. */
export interface FormTargeting {
  include?: string[];
  exclude?: string[];
  device?: 'all' | 'desktop' | 'mobile';
}

/** How often a form shows to one browser. */
export interface FormFrequency {
  /** `once`: never again after shown; `session`: once per session; `always`: every time it triggers. */
  show: 'once' | 'session' | 'always';
  /** Days to wait after the visitor dismissed it. */
  dismissDays?: number;
  /** Never show to a visitor who is already a known lead. */
  hideKnown?: boolean;
}

/** Texts a form shows; every one has a default in both languages. */
export interface FormTexts {
  title?: Localized;
  description?: Localized;
  submit?: Localized;
  success?: Localized;
}

/** A form as the marketer configures it and the tag receives it. */
export interface FormDefinition {
  /** Slug: `[a-z0-9][a-z0-9_-]*`, unique per site. */
  id: string;
  name: string;
  kind: FormKind;
  fields: FormField[];
  /** Ignored for `inline` forms. Default: `load`. */
  trigger?: FormTrigger;
  targeting?: FormTargeting;
  /** Default: `{ show: 'session' }`. */
  frequency?: FormFrequency;
  /** A submission makes the lead an SQL (DESIGN §8). */
  salesReady?: boolean;
  /** Fixed language; unset: the page's `lang`, then the browser's. */
  locale?: Locale;
  /** At most this many unknown `progressive` fields show at once (default: all). */
  progressiveLimit?: number;
  texts?: FormTexts;
  /** CSS custom properties, e.g. `{ "--tp-accent": "#0b57d0" }`. */
  theme?: Record<string, string>;
}

/** What this visitor's browser may learn about itself: which field names are known, never values. */
export interface VisitorKnowledge {
  /** Field names whose value the collector already has for this visitor. */
  known: Record<string, boolean>;
  /** The visitor is an identified lead (for `frequency.hideKnown`). */
  identified: boolean;
}

/** `GET /v1/sites/{publicKey}/config` answer. */
export interface SiteConfig {
  forms: FormDefinition[];
  settings: {
    /** Capture every site `<form>` as a lead (like `data-capture-forms` on the tag). */
    captureForms: boolean;
  };
  /** Present when the request named `?anonymousId=`. */
  visitor?: VisitorKnowledge;
}

/** The text of `t` in `locale`, falling back to the other language, then `fallback`. */
export function localize(t: Localized | undefined, locale: Locale, fallback = ''): string {
  if (t === undefined) return fallback;
  if (typeof t === 'string') return t;
  return t[locale] ?? t.en ?? t.vi ?? fallback;
}
