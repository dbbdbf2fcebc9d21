import Decimal from 'decimal.js';
import PDFDocument from 'pdfkit';
import { frenchDate, frenchEuros, type ConventionView, type PartyView, type StatementView } from '@cl/read-models';

/** What the PDF of a statement prints (docs/audit.md, "Statements as documents"). */
export interface StatementDocument {
  /** The convention's terms in force the day the statement was drawn up (A3: parties, bank accounts). */
  convention: ConventionView;
  statement: StatementView;
  /** statementContentHash(statement): what the signatures cover. */
  contentHash: string;
}

const MARGIN = 36;
const SIGNATORY_ROLES = [
  ['authorizing-officer', 'Ordonnateur', 'd\'ordonnateur'],
  ['public-accountant', 'Comptable assignataire', 'de comptable assignataire'],
] as const;

/** The characters of Windows-1252 beyond Latin-1, which the standard fonts also print. */
const WINDOWS_1252_EXTRA = new Set('€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ');

/**
 * The standard fonts (Helvetica, not embedded: small and deterministic files) print Windows-1252
 * only; pdfkit would turn any other character into unrelated glyphs, so it is shown as `?`.
 */
export const printable = (text: string): string =>
  [...text].map((char) => {
    const code = char.codePointAt(0)!;
    return (code >= 0x20 && code <= 0x7e) || (code >= 0xa0 && code <= 0xff) || char === '\n' || WINDOWS_1252_EXTRA.has(char) ? char : '?';
  }).join('');

/** A column of the lines' table: its header, width in points, and how a line fills it. */
interface Column<Row> { header: string; width: number; align?: 'right'; cell(row: Row): string }

/**
 * The statement (ERDA, D1) as a PDF a public accountant can file: header, lines with their
 * three dates and details, corrections, totals, signature blocks with the content hash.
 * Deterministic: the document's dates are the day it was drawn up, and pdfkit derives the
 * file id from them, so the same statement always gives the same bytes.
 */
export function statementPdf({ convention, statement, contentHash }: StatementDocument): Promise<Buffer> {
  const drawnUp = new Date(`${statement.drawnUpOn}T00:00:00Z`);
  const doc = new PDFDocument({
    size: 'A4', layout: 'landscape', margin: MARGIN,
    info: {
      Title: `ERDA n° ${statement.number} – ${convention.reference}`,
      Subject: convention.title,
      Producer: 'convention-ledger', Creator: 'convention-ledger',
      CreationDate: drawnUp, ModDate: drawnUp,
    },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  header(doc, convention, statement);
  table(doc, 'Dépenses acceptées', LINE_COLUMNS, statement.lines.map((line, index) => ({ ...line, index: index + 1 })));
  if (statement.corrections.length > 0) table(doc, 'Corrections (dépenses rejetées depuis leur inscription)', CORRECTION_COLUMNS, statement.corrections);
  totals(doc, statement);
  signatures(doc, statement, contentHash);
  doc.end();
  return done;
}

function header(doc: PDFKit.PDFDocument, convention: ConventionView, statement: StatementView): void {
  doc.font('Helvetica-Bold').fontSize(14)
    .text(`État récapitulatif des dépenses acceptées (ERDA) n° ${statement.number}${statement.final ? ' – état final' : ' – état intermédiaire'}`);
  doc.font('Helvetica').fontSize(9).moveDown(0.4);
  field(doc, 'Convention', `${convention.reference} – ${convention.title}`);
  party(doc, 'Financeur', convention.funder);
  party(doc, 'Bénéficiaire', convention.beneficiary);
  const budget = convention.budget;
  field(doc, 'Imputation budgétaire', budget
    ? [budget.fondsDeConcours && `fonds de concours ${budget.fondsDeConcours}`, budget.programme && `programme ${budget.programme}`, budget.bop && `BOP ${budget.bop}`]
      .filter(Boolean).join(' ; ')
    : 'non précisée');
  field(doc, 'Période d\'exécution', convention.effectiveOn && convention.endsOn
    ? `du ${frenchDate(convention.effectiveOn)} au ${frenchDate(convention.endsOn)}` : 'non commencée');
  field(doc, 'État', `n° ${statement.number}, ${statement.final ? 'final' : 'non final'}, arrêté au ${frenchDate(statement.cutoff)}, établi le ${frenchDate(statement.drawnUpOn)}`);
  doc.moveDown(0.6);
}

function party(doc: PDFKit.PDFDocument, label: string, party: PartyView): void {
  const accounting = party.accountingOrganisation ? `, comptable : ${party.accountingOrganisation}` : '';
  field(doc, label, `${party.name} (organisation ${party.organisation}${accounting}), représenté par ${party.representative} – IBAN ${party.iban}`);
}

function field(doc: PDFKit.PDFDocument, label: string, value: string): void {
  doc.font('Helvetica-Bold').text(`${label} : `, { continued: true }).font('Helvetica').text(printable(value));
}

type LineRow = StatementView['lines'][number] & { index: number };

const LINE_COLUMNS: Column<LineRow>[] = [
  { header: 'N°', width: 22, cell: (l) => String(l.index) },
  { header: 'Engagée le', width: 52, cell: (l) => frenchDate(l.committedOn) },
  { header: 'Service fait le', width: 52, cell: (l) => frenchDate(l.serviceDoneOn) },
  { header: 'Payée le', width: 52, cell: (l) => frenchDate(l.paidOn) },
  { header: 'Catégorie', width: 62, cell: (l) => l.category },
  { header: 'Description', width: 170, cell: (l) => [l.description, l.contract && `marché ${l.contract}`].filter(Boolean).join(' – ') },
  { header: 'Créancier', width: 120, cell: (l) => (l.payee ? `${l.payee.name}${l.payee.siret ? ` (SIRET ${l.payee.siret})` : ''}` : '') },
  { header: 'N° d\'engagement', width: 62, cell: (l) => l.commitmentNumber ?? '' },
  { header: 'Facture / mandat', width: 97, cell: (l) => [l.invoice && `facture ${l.invoice.number} du ${frenchDate(l.invoice.issuedOn)}`, l.paymentOrder && `mandat ${l.paymentOrder}`].filter(Boolean).join(' ; ') },
  { header: 'Montant', width: 80, align: 'right', cell: (l) => frenchEuros(l.amount) },
];

const CORRECTION_COLUMNS: Column<StatementView['corrections'][number]>[] = [
  { header: 'Dépense', width: 200, cell: (c) => c.expenseId },
  { header: 'Inscrite à l\'état n°', width: 70, cell: (c) => String(c.listedOn) },
  { header: 'Rejetée le', width: 60, cell: (c) => frenchDate(c.rejectedOn) },
  { header: 'Motif', width: 359, cell: (c) => c.reason },
  { header: 'Montant', width: 80, align: 'right', cell: (c) => frenchEuros(c.amount) },
];

/** A table whose rows grow to fit their text; a row that would cross the page's end starts a new page, under the header again. */
function table<Row>(doc: PDFKit.PDFDocument, title: string, columns: Column<Row>[], rows: Row[]): void {
  doc.font('Helvetica-Bold').fontSize(10).text(title, MARGIN).moveDown(0.2);
  const bottom = doc.page.height - doc.page.margins.bottom;
  const drawRow = (cells: string[], bold: boolean) => {
    doc.font(bold ? 'Helvetica-Bold' : 'Helvetica').fontSize(7.5);
    const height = Math.max(...cells.map((text, i) => doc.heightOfString(printable(text), { width: columns[i].width - 4 }))) + 4;
    if (doc.y + height > bottom) {
      doc.addPage();
      if (!bold) drawRow(columns.map((c) => c.header), true);
    }
    const top = doc.y;
    let x = MARGIN;
    cells.forEach((text, i) => {
      doc.text(printable(text), x + 2, top + 2, { width: columns[i].width - 4, align: columns[i].align ?? 'left' });
      x += columns[i].width;
    });
    doc.moveTo(MARGIN, top + height).lineTo(x, top + height).lineWidth(0.3).stroke();
    doc.x = MARGIN;
    doc.y = top + height;
  };
  drawRow(columns.map((c) => c.header), true);
  if (rows.length === 0) drawRow(columns.map((_, i) => (i === 0 ? 'aucune' : '')), false);
  for (const row of rows) drawRow(columns.map((c) => c.cell(row)), false);
  doc.moveDown(0.8);
}

function totals(doc: PDFKit.PDFDocument, statement: StatementView): void {
  const corrections = statement.corrections.reduce((sum, c) => sum.plus(c.amount), new Decimal(0));
  const rows: [string, string][] = [
    ['Total des nouvelles lignes', frenchEuros(statement.total)],
    ['Total des corrections', frenchEuros(corrections.toFixed(2))],
    ['Cumul précédent', frenchEuros(statement.previousCumulativeTotal)],
    ['Nouveau cumul', frenchEuros(statement.cumulativeTotal)],
  ];
  doc.fontSize(9);
  for (const [label, value] of rows) {
    const top = doc.y;
    doc.font('Helvetica-Bold').text(label, MARGIN + 450, top, { width: 190 });
    doc.font('Helvetica').text(value, MARGIN + 640, top, { width: 129, align: 'right' });
    doc.x = MARGIN;
  }
  doc.moveDown(0.8);
}

function signatures(doc: PDFKit.PDFDocument, statement: StatementView, contentHash: string): void {
  if (doc.y + 110 > doc.page.height - doc.page.margins.bottom) doc.addPage();
  doc.font('Helvetica-Bold').fontSize(10).text('Signatures', MARGIN).moveDown(0.2);
  const top = doc.y;
  SIGNATORY_ROLES.forEach(([role, label, capacity], i) => {
    const x = MARGIN + i * 330;
    const signature = statement.signatures.find((s) => s.as === role);
    doc.rect(x, top, 310, 58).lineWidth(0.5).stroke();
    doc.font('Helvetica-Bold').fontSize(9).text(label, x + 6, top + 6, { width: 298 });
    doc.font('Helvetica').fontSize(8.5).text(printable(
      signature ? `Signé par ${signature.signatory} (compte ${signature.subject}), en qualité ${capacity}, le ${frenchDate(signature.signedOn)}` : 'Non signé'),
      x + 6, top + 20, { width: 298 },
    );
  });
  doc.x = MARGIN;
  doc.y = top + 66;
  doc.font('Helvetica').fontSize(8).text(`${statement.valid ? 'État valide (signé par l\'ordonnateur et le comptable, D2).' : 'État non encore valide (deux signatures requises, D2).'}`);
  doc.text(`Empreinte du contenu (SHA-256 du JSON canonique de l'état tel qu'établi) : ${contentHash}`);
}
