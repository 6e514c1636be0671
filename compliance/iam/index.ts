/** IAM simulation over policy documents (the simulator itself is loaded only when installed). */
export * from './simulator';
export { managedPolicyDocument, VENDORED_MANAGED_POLICIES } from './managed-policies';
