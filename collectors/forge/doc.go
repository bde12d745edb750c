// Package forge is the opt-in online collector of a repository's settings on
// its forge: branch protection, rulesets, Actions permissions and secret
// scanning on GitHub; protected branches, merge request approvals and push
// rules on GitLab. It reaches the network only when repo.online is enabled;
// left off, it records that it was not enabled, so that the checks reading
// its evidence say not-assessed instead of nothing.
package forge
