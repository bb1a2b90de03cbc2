/**
 * The one stylesheet of every form's shadow root. Colours come from `--tp-*` custom properties
 * (the form's `theme`, or the page's own `--tp-*`), with defaults that meet WCAG AA on white.
 *
 * Why some rules are missing or look odd:
 * - The host has `all: initial` (index.tsx), so inherited properties (letter spacing, alignment)
 *   already start from their initial values; `*` resets only what the browser's own stylesheet
 *   sets on dialogs, popovers and controls.
 * - Popups and slide-ins (`[role=dialog]`) scroll inside when the screen is short (a slide-in
 *   takes at most half of a phone's), so their title and × stick to the top of the panel: the ×
 *   comes first in the layout (`order: -1`) though last in the tab order, and is painted over
 *   the title; `scroll-padding-top` keeps a field focused from above out from under the title
 *   (Chromium centres it anyway).
 * - In a bar, fields line up at their top and the submit button skips a label's height, so an
 *   error under a field never pushes the button out of the row of inputs.
 * - The × is 44 px square (touch target), its glyph centred where the 36 px one was.
 * - No custom property of its own (no `--a: var(--tp-accent, …)` set once and read below): the
 *   page's `@property` registrations apply inside shadow roots, and one of the same name (a
 *   gradient's `--a` as an `<angle>`, `inherits: false`) would make its value unusable. Each rule
 *   reads the public `--tp-*` with its default; gzip takes the repeats for almost nothing.
 * - Each line ends with a backslash: the newlines would cost bytes in the chunk.
 */
export const CSS = `\
*{box-sizing:border-box;margin:0;padding:0;border:0;font:inherit;color:inherit}\
.w{font-family:var(--tp-font,system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif);font-size:var(--tp-font-size,16px);line-height:1.5;color:var(--tp-fg,#1f1f1f)}\
.p{background:var(--tp-bg,#fff);border-radius:var(--tp-radius,8px);padding:20px}\
.k-inline .p{border:1px solid var(--tp-frame,#d0d0d0)}\
:not(.k-inline)>.p{position:fixed;z-index:2147483000;overflow:auto}\
.k-popup .p{inset:0;margin:auto;height:fit-content;width:440px;max-width:calc(100vw - 24px);max-height:calc(100vh - 24px);box-shadow:0 10px 40px rgba(0,0,0,.3)}\
.k-popup .p::backdrop{background:var(--tp-backdrop,rgba(0,0,0,.55))}\
.k-slide_in .p{inset:auto 16px 16px auto;width:360px;max-width:calc(100vw - 32px);max-height:calc(100vh - 32px);box-shadow:0 6px 30px rgba(0,0,0,.25)}\
[role=dialog]{display:flex;flex-direction:column;padding-top:0;scroll-padding-top:6em}\
[role=dialog] h2{position:sticky;top:0;padding-top:20px;background:var(--tp-bg,#fff)}\
[role=dialog] .x{position:sticky;order:-1;flex:none;z-index:1;margin:4px -16px -48px auto}\
.k-bar .p{inset:auto 0 0;width:auto;max-height:50vh;border-radius:0;padding:12px 16px;box-shadow:0 -4px 20px rgba(0,0,0,.2);display:flex;flex-wrap:wrap;align-items:center;gap:8px 16px}\
.k-bar h2{font-size:1.05em}.k-bar form{display:flex;flex-wrap:wrap;align-items:flex-start;gap:8px;flex:1 1 320px;max-width:760px}.k-bar form,.k-bar .ok{margin:0 40px 0 0}.k-bar .f{flex:1 1 180px;margin:0}.k-bar .d{display:none}\
h2{font-size:1.25em;font-weight:700;line-height:1.3;padding-right:32px}\
.d{color:var(--tp-muted,#545454);margin-top:4px}\
form{margin-top:12px}\
.f{margin-bottom:12px}\
label{display:block;font-weight:600;margin-bottom:4px}\
.rq{color:var(--tp-error,#b3261e)}\
input,select,textarea{display:block;width:100%;min-height:44px;padding:8px 10px;border:1px solid var(--tp-border,#767676);border-radius:calc(var(--tp-radius,8px)/2);background:var(--tp-bg,#fff)}\
textarea{min-height:88px;resize:vertical}\
.ck{display:flex;gap:8px;align-items:flex-start;font-weight:400}\
.ck input{width:20px;height:20px;min-height:0;flex:none;margin-top:2px;accent-color:var(--tp-accent,#0b57d0)}\
[aria-invalid=true]{border-color:var(--tp-error,#b3261e);border-width:2px}\
.er{display:block;color:var(--tp-error,#b3261e);font-size:.9em;margin-top:4px}\
.er:empty{display:none}\
button{cursor:pointer;border-radius:calc(var(--tp-radius,8px)/2);font-weight:700}\
.s{background:var(--tp-accent,#0b57d0);color:var(--tp-accent-fg,#fff);min-height:44px;padding:10px 20px;width:100%}\
.k-bar .s{width:auto;margin-top:calc(1.5em + 4px)}\
.k-bar .x{top:calc(50% - 22px)}\
@media (max-width:600px){.k-bar form{margin-right:0}.k-bar .x{top:4px}.k-slide_in .p{max-height:50vh}}\
.x{position:absolute;top:4px;right:4px;width:44px;height:44px;background:none;font-size:24px;line-height:1}\
:focus-visible{outline:3px solid var(--tp-accent,#0b57d0);outline-offset:2px}\
.hp{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}\
.ok{font-weight:600;margin-top:12px}\
`;
