/** The HSM port and its implementations (PKCS#11 through SunPKCS11; a software HSM for development). */
package dev.coffer.kms.hsm;
