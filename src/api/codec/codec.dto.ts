/**
 * Temporal's codec-server body, `{payloads: [{metadata, data}]}`: a Payloads message in proto3
 * JSON, so each metadata value and the data are base64 (standard or URL-safe alphabet).
 */
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsArray, IsOptional, IsString, Matches, ValidateBy, ValidateNested } from 'class-validator';

const BASE64 = /^[A-Za-z0-9+/_-]*={0,2}$/;

/** An object whose values are all base64 strings (proto3 JSON's `map<string, bytes>`). */
function IsBase64Map(): PropertyDecorator {
  return ValidateBy({
    name: 'isBase64Map',
    validator: {
      validate: (value: unknown) =>
        typeof value === 'object' && value !== null && !Array.isArray(value) && Object.values(value).every((v) => typeof v === 'string' && BASE64.test(v)),
      defaultMessage: () => '$property must be an object of base64 strings',
    },
  });
}

export class PayloadDto {
  @ApiPropertyOptional({
    description: 'Metadata, each value base64. `encoding` names the data\'s format: `json/plain`, `binary/null`, or `binary/gzip` for a payload Celerity stored gzipped.',
    type: 'object',
    additionalProperties: { type: 'string', format: 'byte' },
    example: { encoding: 'anNvbi9wbGFpbg==' },
  })
  @IsOptional() @IsBase64Map()
  metadata?: Record<string, string>;

  @ApiPropertyOptional({ description: 'The data, base64 (absent when empty).', type: 'string', format: 'byte', example: 'eyJhIjoxfQ==' })
  @IsOptional() @IsString() @Matches(BASE64, { message: '$property must be base64' })
  data?: string;
}

export class PayloadsDto {
  @ApiProperty({ type: [PayloadDto] })
  @IsArray() @ValidateNested({ each: true }) @Type(() => PayloadDto)
  payloads!: PayloadDto[];
}
