import { Directive, Field, ID, ObjectType } from 'type-graphql';
import { echo, invalidInput } from '../../platform/errors';
import { UUID } from './validation';

/** The applications subgraph's Application by its key, as a subgraph that adds fields to it sees it. */
export interface ApplicationKey {
  id: string;
}

/**
 * `Application @key(fields: "id")` for a subgraph that adds fields to it (departments, funds): a
 * class per schema, as type-graphql's metadata is per class (cf. `populationKeyType`).
 */
export function applicationKeyType(): new () => ApplicationKey {
  @ObjectType('Application')
  @Directive('@key(fields: "id")')
  class ApplicationReference implements ApplicationKey {
    @Field(() => ID)
    id!: string;
  }
  return ApplicationReference;
}

/** An `_entities` representation of Application: its id, checked (representations arrive as `_Any`). */
export function parseApplicationReference(reference: Record<string, unknown>): ApplicationKey {
  const id = reference.id;
  if (typeof id !== 'string' || !UUID.test(id)) throw invalidInput([{ field: 'id', message: `实体引用的申请 id 无效：“${echo(id)}”` }]);
  return { id };
}
