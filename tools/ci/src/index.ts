export { buildPrComment, COMMENT_MARKER, GITHUB_COMMENT_LIMIT, type AffectedHost, type AffectedReport, type CommentInput } from './pr-comment.js';
export { upsertStickyComment, type GitHubTarget } from './github-comment.js';
export { notificationRequest, sendNotification, targetFormat, type HttpRequest, type NotificationEvent, type NotificationKind, type TargetFormat } from './notify.js';
export { driftReport, parseDriftOutput, type DriftExit, type DriftFinding, type DriftOutput, type DriftReport, type UnreadHost } from './drift-report.js';
export { deployMatrix, deployedTag, type DeployJob, type DeployMatrixInput } from './deploy-matrix.js';
export { IMAGES_COMMENT_MARKER, imagesReport, parseVerifyOutput, type VerifyOutput } from './images-report.js';
