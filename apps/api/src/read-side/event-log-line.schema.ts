import { ApiProperty } from '@nestjs/swagger';
import { EventResponse } from './convention-responses.schema';

/** One line of GET /events: an event of any stream, with its stream. */
export class EventLogLineResponse extends EventResponse {
  @ApiProperty({ example: 'convention-anct-dinum-2020' }) streamId: string;
}
