import Decimal from 'decimal.js';
import { frenchDate, frenchEuros, type StatsHistoryPoint } from '@cl/read-models';
import { escapeHtml } from './html';

const WIDTH = 760;
const HEIGHT = 320;
const PLOT = { left: 110, right: 20, top: 20, bottom: 50 };
export const SERIES = [
  { key: 'received', label: 'Versé', colour: '#1f4e9c' },
  { key: 'consumed', label: 'Consommé', colour: '#c0392b' },
] as const;

const DAY_MS = 86_400_000;
const dayNumber = (date: string) => Date.parse(`${date}T00:00:00Z`) / DAY_MS;

/**
 * Received vs consumed over time as inline SVG, drawn on the server: no script, no external
 * resource, colours as presentation attributes (no style attribute, which the page's
 * Content-Security-Policy would refuse). Each series is a step line: a cumulative amount holds
 * until the next day it changes. Amounts are exact decimals; only pixel positions are numbers.
 */
export function statsChartSvg(history: readonly StatsHistoryPoint[]): string {
  const title = 'Montants versés et consommés dans le temps, cumulés, toutes conventions';
  const open = `<svg xmlns="http://www.w3.org/2000/svg" id="received-vs-consumed" viewBox="0 0 ${WIDTH} ${HEIGHT}" width="${WIDTH}" height="${HEIGHT}" role="img" aria-labelledby="chart-title"><title id="chart-title">${escapeHtml(title)}</title>`;
  if (history.length === 0) {
    return `${open}<text x="${WIDTH / 2}" y="${HEIGHT / 2}" text-anchor="middle" fill="#555">Aucun versement ni dépense acceptée pour l'instant</text></svg>`;
  }
  const first = dayNumber(history[0].on);
  // A margin after the last change (5 %, one day at least), so that a step on the last day shows.
  const lastChange = dayNumber(history[history.length - 1].on);
  const last = lastChange + Math.max(1, (lastChange - first) * 0.05);
  const top = Decimal.max(...history.flatMap((p) => [p.received, p.consumed]), 1);
  const plotWidth = WIDTH - PLOT.left - PLOT.right;
  const plotHeight = HEIGHT - PLOT.top - PLOT.bottom;
  const x = (date: string) => PLOT.left + ((dayNumber(date) - first) / (last - first)) * plotWidth;
  const y = (amount: string | Decimal) => PLOT.top + plotHeight - new Decimal(amount).div(top).times(plotHeight).toNumber();
  const round = (n: number) => n.toFixed(1);

  const ticks = [0, 0.5, 1].map((share) => top.times(share).toFixed(2)).map((amount) =>
    `<line x1="${PLOT.left}" x2="${WIDTH - PLOT.right}" y1="${round(y(amount))}" y2="${round(y(amount))}" stroke="#ddd"/>`
    + `<text x="${PLOT.left - 6}" y="${round(y(amount) + 4)}" text-anchor="end" font-size="11" fill="#333">${escapeHtml(frenchEuros(amount))}</text>`).join('');
  const labelled = history.length === 1 ? [history[0].on] : [history[0].on, history[history.length - 1].on];
  const dates = labelled.map((date, i) =>
    `<text x="${round(x(date))}" y="${HEIGHT - PLOT.bottom + 18}" text-anchor="${i === 0 ? 'start' : 'end'}" font-size="11" fill="#333">${frenchDate(date)}</text>`).join('');
  const lines = SERIES.map(({ key, label, colour }) => {
    const points: string[] = [`${round(x(history[0].on))},${round(y('0'))}`];
    let previous = '0';
    for (const point of history) {
      points.push(`${round(x(point.on))},${round(y(previous))}`, `${round(x(point.on))},${round(y(point[key]))}`);
      previous = point[key];
    }
    points.push(`${round(WIDTH - PLOT.right)},${round(y(previous))}`);
    return `<polyline data-series="${key}" fill="none" stroke="${colour}" stroke-width="2" points="${points.join(' ')}"><title>${label}</title></polyline>`;
  }).join('');
  const legend = SERIES.map(({ label, colour }, i) =>
    `<rect x="${PLOT.left + i * 140}" y="${HEIGHT - 18}" width="12" height="12" fill="${colour}"/><text x="${PLOT.left + i * 140 + 18}" y="${HEIGHT - 8}" font-size="12" fill="#333">${label}</text>`).join('');
  const axes = `<line x1="${PLOT.left}" x2="${PLOT.left}" y1="${PLOT.top}" y2="${HEIGHT - PLOT.bottom}" stroke="#333"/>`
    + `<line x1="${PLOT.left}" x2="${WIDTH - PLOT.right}" y1="${HEIGHT - PLOT.bottom}" y2="${HEIGHT - PLOT.bottom}" stroke="#333"/>`;
  return `${open}${ticks}${axes}${lines}${dates}${legend}</svg>`;
}
