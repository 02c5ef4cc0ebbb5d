import { OutboxEventEntity } from './outbox-event.entity.js';

export { OutboxEventEntity };

/** Every entity the broker maps; the drift check compares exactly these with the migrations. */
export const ENTITIES = [OutboxEventEntity];
