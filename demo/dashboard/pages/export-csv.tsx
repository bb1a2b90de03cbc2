/** The leads list's "Export CSV" button: `GET /v1/leads/export.csv` with the filters in force. */
import { useState } from 'preact/hooks';
import { apiBlob, query } from '../api.ts';
import { messages } from '../i18n.ts';

const t = messages({
  'Export failed: {message}': 'Không xuất được: {message}',
  'Exporting…': 'Đang xuất…',
  'Export CSV': 'Xuất CSV',
});

/**
 * Fetches the export with the key (a plain link could not send `Authorization`) and saves it as
 * `leads.csv` through a short-lived object URL.
 *
 * @example <ExportCsv filters={{ stage: 'mql', sort: '-score' }} />
 */
export function ExportCsv({ filters }: { filters: Record<string, string> }) {
  const [state, setState] = useState<{ busy: boolean; error: string | null }>({
    busy: false,
    error: null,
  });
  const exportCsv = async () => {
    if (state.busy) return;
    setState({ busy: true, error: null });
    try {
      const csv = await apiBlob(`/v1/leads/export.csv${query(filters)}`);
      const url = URL.createObjectURL(csv);
      const a = document.createElement('a');
      a.href = url;
      a.download = 'leads.csv';
      document.body.append(a);
      a.click();
      a.remove();
      // Revoked on the next task: the click has handed the URL to the download by then.
      setTimeout(() => URL.revokeObjectURL(url), 0);
      setState({ busy: false, error: null });
    } catch (err) {
      setState({
        busy: false,
        error: t('Export failed: {message}', { message: (err as Error).message }),
      });
    }
  };
  return (
    <div class="export-csv">
      {/* aria-disabled, not disabled: a disabled button would drop keyboard focus to <body>. */}
      <button
        type="button"
        onClick={() => void exportCsv()}
        aria-disabled={state.busy ? 'true' : undefined}
      >
        {state.busy ? t('Exporting…') : t('Export CSV')}
      </button>
      {state.error && (
        <p class="problem" role="alert">
          {state.error}
        </p>
      )}
    </div>
  );
}
