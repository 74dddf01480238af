/**
 * The HSM port ({@link dev.coffer.kms.hsm.Hsm}): where the KMS's master keys live and are used, and
 * its two implementations: {@link dev.coffer.kms.hsm.Pkcs11Hsm}, a PKCS#11 token through the JDK's
 * SunPKCS11 (SoftHSM2 in the tests), and {@link dev.coffer.kms.hsm.SoftwareHsm}, a sealed local key
 * store for development. Both pass the same contract test kit. See docs/HSM.md.
 */
package dev.coffer.kms.hsm;
