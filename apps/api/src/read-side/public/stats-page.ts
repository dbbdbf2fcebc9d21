import { CONVENTION_STATUSES } from '../read-queries.request';
import { frenchEuros, frenchPercent, type PublicStatsView } from '@cl/read-models';
import { escapeHtml, pagePolicy } from './html';
import { statsChartSvg } from './stats-chart';

const STYLESHEET = [
  'body{font-family:system-ui,sans-serif;margin:2rem auto;max-width:52rem;padding:0 1rem;color:#222}',
  'table{border-collapse:collapse;margin:.5rem 0 1.5rem}',
  'th,td{border-bottom:1px solid #ccc;padding:.3rem .8rem;text-align:left}',
  'td.figure{text-align:right;font-variant-numeric:tabular-nums}',
  'svg{max-width:100%;height:auto}',
].join('');

/** The page's Content-Security-Policy: its stylesheet by hash, nothing else (html.ts). */
export const STATS_PAGE_POLICY = pagePolicy(STYLESHEET);

const STATUS_LABELS: Record<(typeof CONVENTION_STATUSES)[number], string> = {
  draft: 'En attente de signature', active: 'En cours', closed: 'Clôturées', terminated: 'Résiliées', settled: 'Soldées',
};

/**
 * A figure's cell. `data-indicator` names the field of /stats.json it shows (a dotted path), so
 * that the page can be checked against the JSON by machine as well as read.
 */
const figure = (indicator: string, text: string) => `<td class="figure" data-indicator="${escapeHtml(indicator)}">${escapeHtml(text)}</td>`;
const row = (label: string, cell: string) => `<tr><th scope="row">${escapeHtml(label)}</th>${cell}</tr>`;
const percent = (value: string | null) => (value === null ? 'sans objet' : frenchPercent(value));

/**
 * `GET /stats` for a browser: the key indicators over every convention (article 9: publication)
 * and the chart of received vs consumed, from the same value as /stats.json. French formatting;
 * no script, no resource from elsewhere.
 */
export function statsPageHtml(stats: PublicStatsView): string {
  const statuses = CONVENTION_STATUSES.map((status) => row(STATUS_LABELS[status], figure(`conventions.byStatus.${status}`, String(stats.conventions.byStatus[status]))));
  const amounts = [
    row('Plafonds cumulés', figure('ceiling', frenchEuros(stats.ceiling))),
    row('Versé (tranches payées)', figure('received', frenchEuros(stats.received))),
    row('Consommé (dépenses acceptées)', figure('consumed', frenchEuros(stats.consumed))),
    row('Taux de consommation du plafond', figure('consumptionRate.ofCeiling', percent(stats.consumptionRate.ofCeiling))),
    row('Taux de consommation du versé', figure('consumptionRate.ofReceived', percent(stats.consumptionRate.ofReceived))),
    row('Restitutions dues', figure('restitution.due', frenchEuros(stats.restitution.due))),
    row('Restitutions payées', figure('restitution.paid', frenchEuros(stats.restitution.paid))),
  ];
  return `<!doctype html>
<html lang="fr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Conventions de financement : chiffres clés</title>
<style>${STYLESHEET}</style>
</head>
<body>
<main>
<h1>Conventions de financement : chiffres clés</h1>
<p>Toutes conventions confondues, d'après le registre des faits (position ${stats.position}). Les mêmes chiffres en JSON : <a href="/stats.json">/stats.json</a> ; chaque convention : <a href="/open-data/conventions">/open-data/conventions</a>.</p>
<h2>Conventions par statut</h2>
<table>
<tbody>
${statuses.join('\n')}
${row('Total', figure('conventions.total', String(stats.conventions.total)))}
</tbody>
</table>
<h2>Montants</h2>
<table>
<tbody>
${amounts.join('\n')}
</tbody>
</table>
<h2>Versé et consommé dans le temps</h2>
${statsChartSvg(stats.history)}
</main>
</body>
</html>
`;
}
