/**
 * The one stylesheet of every form's shadow root. Colours come from `--tp-*` custom properties
 * (the form's `theme`, or the page's own `--tp-*`), with defaults that meet WCAG AA on white.
 */
export const CSS = `
*{box-sizing:border-box;margin:0;padding:0;font:inherit;color:inherit;letter-spacing:normal;text-transform:none}
.w{--a:var(--tp-accent,#0b57d0);--af:var(--tp-accent-fg,#fff);--bg:var(--tp-bg,#fff);--fg:var(--tp-fg,#1f1f1f);--mu:var(--tp-muted,#545454);--er:var(--tp-error,#b3261e);--bd:var(--tp-border,#767676);--r:var(--tp-radius,8px);display:block;font-family:var(--tp-font,system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif);font-size:var(--tp-font-size,16px);line-height:1.5;color:var(--fg);text-align:left}
.p{position:relative;background:var(--bg);color:var(--fg);border:0;border-radius:var(--r);padding:20px;max-width:100%}
.k-inline .p{border:1px solid var(--tp-frame,#d0d0d0)}
.k-popup .p{position:fixed;z-index:2147483000;inset:0;margin:auto;height:fit-content;width:440px;max-width:calc(100vw - 24px);max-height:calc(100vh - 24px);overflow:auto;box-shadow:0 10px 40px rgba(0,0,0,.3)}
.k-popup .p::backdrop{background:var(--tp-backdrop,rgba(0,0,0,.55))}
.k-slide_in .p{position:fixed;z-index:2147483000;inset:auto 16px 16px auto;width:360px;max-width:calc(100vw - 32px);max-height:calc(100vh - 32px);overflow:auto;box-shadow:0 6px 30px rgba(0,0,0,.25)}
.k-bar .p{position:fixed;z-index:2147483000;inset:auto 0 0;width:auto;max-height:50vh;overflow:auto;border-radius:0;padding:12px 16px;box-shadow:0 -4px 20px rgba(0,0,0,.2);display:flex;flex-wrap:wrap;align-items:center;gap:8px 16px}
.k-bar h2{font-size:1.05em}.k-bar form{display:flex;flex-wrap:wrap;align-items:flex-end;gap:8px;flex:1 1 320px;max-width:760px;margin:0 40px 0 0}.k-bar .f{flex:1 1 180px;margin:0}.k-bar .d{display:none}
h2{font-size:1.25em;font-weight:700;line-height:1.3;margin-right:32px}
.d{color:var(--mu);margin-top:4px}
form{margin-top:12px}
.f{margin-bottom:12px}
label{display:block;font-weight:600;margin-bottom:4px}
.rq{color:var(--er)}
input,select,textarea{display:block;width:100%;min-height:44px;padding:8px 10px;border:1px solid var(--bd);border-radius:calc(var(--r)/2);background:var(--bg);color:var(--fg)}
textarea{min-height:88px;resize:vertical}
.ck{display:flex;gap:8px;align-items:flex-start;font-weight:400}
.ck input{width:20px;height:20px;min-height:0;flex:none;margin-top:2px;accent-color:var(--a)}
[aria-invalid=true]{border-color:var(--er);border-width:2px}
.er{display:block;color:var(--er);font-size:.9em;margin-top:4px}
.er:empty{display:none}
button{cursor:pointer;border:0;border-radius:calc(var(--r)/2);font-weight:700}
.s{background:var(--a);color:var(--af);min-height:44px;padding:10px 20px;width:100%}
.k-bar .s{width:auto}
.k-bar .x{top:calc(50% - 18px)}
@media (max-width:600px){.k-bar form{margin-right:0}.k-bar .x{top:8px}.k-slide_in .p{max-height:50vh}}
.x{position:absolute;top:8px;right:8px;width:36px;height:36px;background:transparent;color:var(--fg);font-size:24px;line-height:1}
:focus-visible{outline:3px solid var(--a);outline-offset:2px}
.hp{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
.ok{font-weight:600;margin-top:12px}
`;
