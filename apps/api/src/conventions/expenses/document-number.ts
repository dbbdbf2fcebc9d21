import { MAX_TEXT_LENGTH } from '@cl/domain';
import { IsText } from '../shared/text';

/**
 * The number of an accounting document (legal commitment, invoice, payment order, recovery
 * order): free text bounded like a payment's bank reference.
 */
export const IsDocumentNumber = () => IsText(MAX_TEXT_LENGTH.paymentReference);
