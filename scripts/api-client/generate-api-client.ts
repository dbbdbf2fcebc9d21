/**
 * `npm run client:generate`: writes the OpenAPI document of the application and the typed client's
 * types generated from it (CLIENT_FILES). `--check` writes nothing and fails when the committed
 * files differ from what the code produces now (CI runs the same comparison as a test).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CLIENT_FILES, documentSource } from './client-files';
import { clientSchemaSource } from './client-schema';
import { currentOpenApiDocument } from './current-openapi-document';

async function main(): Promise<void> {
  const check = process.argv.includes('--check');
  const root = path.resolve(__dirname, '../..');
  const document = await currentOpenApiDocument();
  const outputs: Array<[string, string]> = [
    [CLIENT_FILES.document, documentSource(document)],
    [CLIENT_FILES.schema, await clientSchemaSource(document)],
  ];
  let stale = 0;
  for (const [file, content] of outputs) {
    const target = path.join(root, file);
    const current = fs.existsSync(target) ? fs.readFileSync(target, 'utf8') : null;
    if (current === content) {
      console.log(`up to date  ${file}`);
    } else if (check) {
      console.error(`STALE       ${file} (run npm run client:generate)`);
      stale++;
    } else {
      fs.writeFileSync(target, content);
      console.log(`written     ${file}`);
    }
  }
  process.exit(stale ? 1 : 0);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
