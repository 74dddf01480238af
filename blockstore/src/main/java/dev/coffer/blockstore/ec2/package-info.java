/**
 * The EC2-style control API for volumes ({@link dev.coffer.blockstore.ec2.Ec2Service}): the EC2 Query
 * protocol subset that creates, describes, snapshots, copies, attaches and deletes EBS-style
 * volumes, with EBS's encryption semantics over the KMS port
 * ({@link dev.coffer.blockstore.keys.VolumeKeyService}) and the volume engine. One enum of
 * operations ({@link dev.coffer.blockstore.ec2.Ec2Operation}) is the route table, one error enum
 * and exception, one renderer.
 *
 * <p>Records (format version 1, JSON in the engine's record table): {@code ec2/volume/<id>}
 * ({@link dev.coffer.blockstore.ec2.Ec2VolumeRecord}), {@code ec2/snapshot/<id>}
 * ({@link dev.coffer.blockstore.ec2.Ec2SnapshotRecord}) and {@code ec2/settings/<account>}
 * ({@link dev.coffer.blockstore.ec2.Ec2AccountSettings}); each carries {@code version}, and a
 * reader refuses a version it does not know (and ignores fields it does not know). Data keys are
 * stored only as the KMS encrypted them (base64 in the JSON), under the encryption context
 * {@code {"aws:ebs:id": bindingId}}. The stored form, field by field, and what editing a record can
 * and cannot do: docs/formats/ec2-records-v1.md.
 */
package dev.coffer.blockstore.ec2;
