import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC = 'joinedup:public';

/** Marks a route that needs no token. Everything else is denied by default. */
export const Public = (): ClassDecorator & MethodDecorator => SetMetadata(IS_PUBLIC, true);
