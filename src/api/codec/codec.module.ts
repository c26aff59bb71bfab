import { Inject, Module, RequestMethod, type DynamicModule, type MiddlewareConsumer, type NestModule } from '@nestjs/common';
import type { CorsOrigins } from '../../config.js';
import { dataConverter } from '../../temporal/codec.js';
import type { EncryptionKeys } from '../../temporal/encryption.js';
import { CodecSessionController } from './codec-session.controller.js';
import { CodecController } from './codec.controller.js';
import { CODECS, CodecService } from './codec.service.js';
import { codecCors } from './cors.js';

const CORS_ORIGINS = Symbol('CodecCorsOrigins');

/** The codec server for the Temporal Web UI, with CORS for its routes only (see cors.ts). */
@Module({})
export class CodecModule implements NestModule {
  constructor(@Inject(CORS_ORIGINS) private readonly origins: CorsOrigins) {}

  static forRoot(origins: CorsOrigins = '*', encryption?: EncryptionKeys): DynamicModule {
    return {
      module: CodecModule,
      controllers: [CodecController, CodecSessionController],
      providers: [
        CodecService,
        { provide: CORS_ORIGINS, useValue: origins },
        { provide: CODECS, useValue: dataConverter(encryption).payloadCodecs },
      ],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(codecCors(this.origins)).forRoutes({ path: 'codec/*path', method: RequestMethod.ALL });
  }
}
