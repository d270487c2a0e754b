/** 精准推送: messages to enterprises when a policy is published or they newly qualify (docs/matching.md). */
export { POLICIES_FAMILY, POLICY_PUBLISHED, type PolicyPublishedPayload } from './events';
export { PolicyMessage, PolicyMessageKind } from './policy-message.entity';
export { PolicyMessageMutationResolver, PolicyMessagesResolver } from './policy-messages.resolver';
export { pushConsumer } from './push.consumer';
export { rescreenJob } from './rescreen.job';
