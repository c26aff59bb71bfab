import { Controller, HttpCode, HttpStatus, Post } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiOperation, ApiPayloadTooLargeResponse, ApiTags } from '@nestjs/swagger';
import { errorSchema } from '../errors.js';
import { answer, SchemaBody } from '../zod.js';
import { payloadsSchema, type PayloadDto } from './codec.dto.js';
import { CodecService } from './codec.service.js';
import { KeyCookie, RequireScope } from '../security/scope.decorator.js';

type Payloads = { payloads: PayloadDto[] };

/**
 * A Temporal codec server (the Web UI's and the CLI's "codec endpoint" is this API's `/codec`),
 * so that the UI shows the payloads Celerity stores gzipped or encrypted as the JSON they hold.
 * With API keys on, it needs a `read` key: decoding decrypts.
 */
@ApiTags('codec')
@RequireScope('read')
@KeyCookie()
@Controller('codec')
export class CodecController {
  constructor(private readonly codec: CodecService) {}

  @Post('decode')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Decode payloads for the Temporal Web UI or CLI (codec server protocol)',
    description:
      'Payloads stored gzipped (`binary/gzip`) or encrypted (`binary/encrypted`, with CELERITY_ENCRYPTION_KEYS) come back as the payload they hold; any other payload comes back unchanged.',
  })
  @ApiOkResponse(answer(payloadsSchema))
  @ApiBadRequestResponse(answer(errorSchema, 'The body is not a Payloads message in proto3 JSON, or a payload does not decode (its key is not configured, or it was altered); the message names it.'))
  @ApiPayloadTooLargeResponse(answer(errorSchema, 'The payloads gunzip to more than 128 MiB.'))
  async decode(@SchemaBody(payloadsSchema, { indexes: 'dots' }) body: Payloads): Promise<Payloads> {
    return { payloads: await this.codec.decode(body.payloads) };
  }

  @Post('encode')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Encode payloads as Celerity\'s clients do (codec server protocol)',
    description: 'For input typed in the Temporal Web UI or CLI: payloads over 64 KiB are gzipped, then, with encryption on, every payload is encrypted with the current key.',
  })
  @ApiOkResponse(answer(payloadsSchema))
  @ApiBadRequestResponse(answer(errorSchema, 'The body is not a Payloads message in proto3 JSON; the message names the field.'))
  async encode(@SchemaBody(payloadsSchema, { indexes: 'dots' }) body: Payloads): Promise<Payloads> {
    return { payloads: await this.codec.encode(body.payloads) };
  }
}
