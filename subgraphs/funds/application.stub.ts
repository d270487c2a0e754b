import { Directive, Field, ID, ObjectType } from 'type-graphql';
import { echo, invalidInput } from '../../platform/errors';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The applications subgraph's Application, by its key only: funds adds `payment` to it. */
@ObjectType('Application')
@Directive('@key(fields: "id")')
export class ApplicationReference {
  @Field(() => ID)
  id!: string;
}

/** An `_entities` representation of Application: its id, checked (representations arrive as `_Any`). */
export function applicationReference(reference: Record<string, unknown>): ApplicationReference {
  const id = reference.id;
  if (typeof id !== 'string' || !UUID.test(id)) throw invalidInput([{ field: 'id', message: `实体引用的申请 id 无效：“${echo(id)}”` }]);
  return { id };
}
