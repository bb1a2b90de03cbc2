/** The sign-in form: asks for the site's secret key and checks it against the API before keeping it. */
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, api } from './api.ts';
import { messages } from './i18n.ts';
import { LanguageSwitch } from './lang-switch.tsx';
import { useDocumentTitle } from './ui.tsx';

const t = messages({
  'Sign in': 'Đăng nhập',
  "Paste the site's secret key (sk_…), from whoever set up Touchpoint.":
    'Dán khóa bí mật của trang web (sk_…), do người cài đặt Touchpoint cung cấp.',
  'This key was not accepted. Use the secret key (sk_…), not the public one.':
    'Khóa này không được chấp nhận. Hãy dùng khóa bí mật (sk_…), không phải khóa công khai.',
  "Sign in with your site's secret key. It stays in this tab only.":
    'Đăng nhập bằng khóa bí mật của trang web. Khóa chỉ được giữ trong thẻ này.',
  'Secret key': 'Khóa bí mật',
  'Checking…': 'Đang kiểm tra…',
});

export function SignIn({ onSignedIn }: { onSignedIn: (key: string) => void }) {
  const [key, setKey] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const field = useRef<HTMLInputElement>(null);
  useDocumentTitle(t('Sign in'));
  // The only thing to do here is paste the key (also after signing out).
  useEffect(() => field.current?.focus(), []);

  const submit = async (e: Event) => {
    e.preventDefault();
    const k = key.trim();
    if (!k)
      return setError(t("Paste the site's secret key (sk_…), from whoever set up Touchpoint."));
    setBusy(true);
    setError(null);
    try {
      // Any marketer endpoint proves the key; segments is small and always there.
      await api('/v1/segments', {}, k);
      onSignedIn(k);
    } catch (err) {
      setError(
        err instanceof ApiError && err.status === 401
          ? t('This key was not accepted. Use the secret key (sk_…), not the public one.')
          : err instanceof Error
            ? err.message
            : String(err),
      );
    } finally {
      setBusy(false);
    }
  };

  return (
    <main class="signin">
      <form onSubmit={submit} class="card" aria-labelledby="signin-title">
        <LanguageSwitch />
        <h1 id="signin-title">Touchpoint</h1>
        <p class="muted">{t("Sign in with your site's secret key. It stays in this tab only.")}</p>
        <label for="key">{t('Secret key')}</label>
        <input
          ref={field}
          id="key"
          name="key"
          type="password"
          autocomplete="off"
          spellcheck={false}
          placeholder="sk_…"
          value={key}
          onInput={(e) => setKey(e.currentTarget.value)}
          aria-invalid={error ? 'true' : undefined}
          aria-describedby={error ? 'key-error' : undefined}
        />
        {error && (
          <p id="key-error" class="problem" role="alert">
            {error}
          </p>
        )}
        <button type="submit" class="primary" disabled={busy}>
          {busy ? t('Checking…') : t('Sign in')}
        </button>
      </form>
    </main>
  );
}
