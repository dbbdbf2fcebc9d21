import { execFile } from 'node:child_process';

/**
 * pdf-parse's getText, run in a plain Node process: pdf.js loads its worker with a dynamic
 * import, which Jest's module sandbox refuses ("invoked without --experimental-vm-modules").
 * The PDF goes in on stdin, its text comes out on stdout.
 */
const SCRIPT = `
const { PDFParse } = require('pdf-parse');
const chunks = [];
process.stdin.on('data', (c) => chunks.push(c));
process.stdin.on('end', async () => {
  const parser = new PDFParse({ data: Buffer.concat(chunks) });
  try { process.stdout.write((await parser.getText()).text); } finally { await parser.destroy(); }
});`;

export function pdfText(pdf: Buffer): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(process.execPath, ['-e', SCRIPT], { cwd: __dirname, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`pdf-parse failed: ${stderr || error.message}`));
      else resolve(stdout);
    });
    child.stdin!.end(pdf);
  });
}
