import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min, ValidateBy } from 'class-validator';
import { MAX_TEXT_LENGTH } from '@cl/domain';
import { CSV_DIALECTS, OPEN_DATA_MAX_PAGE, parseKnownAt, type CsvDialect } from '@cl/read-models';
import { DecimalInteger, IsBusinessDate } from '../http/validators';

/** Handled by MinPositionInterceptor; declared so that strict validation accepts it. */
export class ReadQuery {
  @ApiPropertyOptional({ type: 'integer', minimum: 0, description: 'answer only once the read models include this global position' })
  @IsOptional() @Matches(/^(0|[1-9][0-9]{0,15})$/)
  minPosition?: string;
}

/** A global position in decimal digits, or an ISO-8601 instant with its offset (parseKnownAt). */
const IsKnownAt = () =>
  ValidateBy({
    name: 'isKnownAt',
    validator: {
      validate: (value) => typeof value === 'string' && parseKnownAt(value) !== undefined,
      defaultMessage: () => '$property must be a global position in decimal digits (e.g. 42) or an ISO-8601 instant with its offset (e.g. 2021-01-15T09:30:00Z)',
    },
  });

/** `?knownAt=` of every read of a convention (docs/api.md "What was known when"). */
export class KnownAtQuery extends ReadQuery {
  @ApiPropertyOptional({
    example: '2021-01-15T09:30:00Z',
    description: 'answer as the system knew it then: only the events recorded at or before this global position (decimal digits) '
      + 'or instant (ISO-8601 with its offset); beyond the last event, the current answer',
  })
  @IsOptional() @IsKnownAt()
  knownAt?: string;
}

export const CONVENTION_STATUSES = ['draft', 'active', 'closed', 'terminated', 'settled'] as const;

export class ListConventionsQuery extends KnownAtQuery {
  @ApiPropertyOptional({ enum: CONVENTION_STATUSES }) @IsOptional() @IsIn(CONVENTION_STATUSES) status?: (typeof CONVENTION_STATUSES)[number];
  @ApiPropertyOptional({ example: 'ANCT-DINUM-2020' }) @IsOptional() @IsString() @MaxLength(MAX_TEXT_LENGTH.reference) reference?: string;
}

/** `?asOf=YYYY-MM-DD` of every "state as of a date" query (balance, convention, expenses, statements). */
export class BalanceQuery extends KnownAtQuery {
  @ApiPropertyOptional({ example: '2020-12-31', description: 'count only facts whose business date is on or before it' })
  @IsOptional() @IsBusinessDate()
  asOf?: string;
}

export class EventsQuery extends KnownAtQuery {
  @ApiPropertyOptional({ example: 0, description: 'first revision to return (the previous page\'s nextRevision)' })
  @IsOptional() @DecimalInteger() @IsInt() @Min(0)
  fromRevision?: number;

  @ApiPropertyOptional({ example: 500, description: 'at most this many events (1 to 10000); without it, the whole history' })
  @IsOptional() @DecimalInteger() @IsInt() @Min(1) @Max(10_000)
  limit?: number;

  @ApiPropertyOptional({ example: 0, description: 'with Accept: text/event-stream only: the first global position to send (inclusive; a reconnection\'s Last-Event-ID overrides it); without it, from the first event' })
  @IsOptional() @DecimalInteger() @IsInt() @Min(0)
  fromPosition?: number;
}

/** `GET …/statements/{number}`: `?dialect=` chooses the CSV dialect (and asks for CSV, for a link that cannot set Accept). */
export class StatementQuery extends BalanceQuery {
  @ApiPropertyOptional({ enum: CSV_DIALECTS, description: 'CSV dialect: rfc4180 (default with Accept: text/csv) or fr (semicolon, decimal comma, UTF-8 with BOM); implies CSV' })
  @IsOptional() @IsIn(CSV_DIALECTS)
  dialect?: CsvDialect;
}

/** `GET /open-data/conventions.csv`: the whole list as CSV. */
export class OpenDataCsvQuery extends ReadQuery {
  @ApiPropertyOptional({ enum: CSV_DIALECTS, description: 'CSV dialect (implies CSV): rfc4180 (default) or fr' })
  @IsOptional() @IsIn(CSV_DIALECTS)
  dialect?: CsvDialect;
}

/** `GET /open-data/conventions`: a JSON page (keyset: `after` the last id of the previous page), or the whole list as CSV. */
export class OpenDataQuery extends OpenDataCsvQuery {
  @ApiPropertyOptional({ description: 'the `id` of the last convention of the previous page (JSON); the answer\'s `next` carries it' })
  @IsOptional() @Matches(/^[A-Za-z0-9-]{1,64}$/)
  after?: string;

  @ApiPropertyOptional({ example: 1000, description: `conventions per JSON page, 1 to ${OPEN_DATA_MAX_PAGE} (default ${OPEN_DATA_MAX_PAGE})` })
  @IsOptional() @DecimalInteger() @IsInt() @Min(1) @Max(OPEN_DATA_MAX_PAGE)
  limit?: number;

  @ApiPropertyOptional({ enum: ['json', 'csv'], description: 'csv: the whole list as CSV, as Accept: text/csv or the .csv path' })
  @IsOptional() @IsIn(['json', 'csv'])
  format?: 'json' | 'csv';
}

/** `GET /events?fromPosition=`: the whole log from this global position on (inclusive). */
export class EventLogQuery extends ReadQuery {
  @ApiPropertyOptional({ example: 0, description: 'first global position to stream (the last line\'s position + 1 resumes an export; with Accept: text/event-stream, a reconnection\'s Last-Event-ID overrides it); without it, from the start' })
  @IsOptional() @DecimalInteger() @IsInt() @Min(0)
  fromPosition?: number;
}
