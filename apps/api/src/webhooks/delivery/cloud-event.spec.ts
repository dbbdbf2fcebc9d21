import { toCloudEvent, withoutBankDetails } from './cloud-event';

describe('what a webhook sends', () => {
  it('leaves bank details out at any depth, whatever the case of the key', () => {
    const data = {
      funder: { name: 'ANCT', organisation: '130026032', bankAccount: { bankCode: '10071', accountNumber: '00001000000' } },
      changes: { beneficiary: { representative: 'N. B. H.', BankAccount: { key: '12' } } },
      lines: [{ amount: '1.00', iban: 'FR76...', BIC: 'TRPUFRP1', rib: '...' }],
      ceiling: '1000.00',
    };
    expect(withoutBankDetails(data)).toEqual({
      funder: { name: 'ANCT', organisation: '130026032' },
      changes: { beneficiary: { representative: 'N. B. H.' } },
      lines: [{ amount: '1.00' }],
      ceiling: '1000.00',
    });
    expect(data.funder.bankAccount).toBeDefined();
  });

  it('wraps a convention event in a CloudEvents 1.0 envelope: id, subject, source, type, time, position', () => {
    const event = toCloudEvent({
      id: 'e-1', streamId: 'convention-c-1', type: 'TrancheFellDue', revision: 3, position: 42, recordedAt: '2026-12-01T12:00:00.000Z',
      data: { tranche: 1, amount: '800000.00', on: '2020-05-11' },
      metadata: { actor: { subject: 's', roles: [] }, recordedAt: '2026-12-01T12:00:00.000Z', requestId: 'r', correlationId: 'r', causationId: 'r', schemaVersion: 1 },
    });
    expect(event).toEqual({
      specversion: '1.0', id: 'e-1', source: '/conventions/c-1', type: 'TrancheFellDue', subject: 'c-1', time: '2026-12-01T12:00:00.000Z',
      datacontenttype: 'application/json', position: 42, data: { tranche: 1, amount: '800000.00', on: '2020-05-11' },
    });
  });
});
