// Generated from the kind schemas in compiler/schemas/ by `npm run schemas:types`. Do not edit.
/* eslint-disable */

export interface PartnerDocument {
  apiVersion: "tradelane/v1"
  kind: "Partner"
  metadata: {
    /**
     * Lower-case letters, digits and '-', 1-63 characters, starting and ending with a letter or digit.
     */
    name: string
    /**
     * Code owners; they review changes to this document.
     *
     * Items: A GitHub team '@org/team', a user '@user', or an e-mail address.
     */
    owners?: string[]
    labels?: {
      [k: string]: string | undefined
    }
    description?: string
  }
  spec: {
    type: "marketplace" | "edi" | "warehouse" | "erp"
    displayName?: string
    /**
     * How much the business depends on it; policies key off this.
     */
    criticality: "low" | "medium" | "high" | "critical"
    http?: {
      baseUrl: string
      /**
       * A duration: a whole number followed by ms, s, m, h, d or w (e.g. 30s, 24h, 28d).
       */
      timeout?: string
      auth?: {
        /**
         * Authentication scheme.
         */
        type: "bearer" | "basic" | "api-key" | "oauth2-client-credentials" | "lwa"
        /**
         * A secret is referenced, never written: { env: NAME }.
         */
        token?: {
          /**
           * Environment variable holding the secret.
           */
          env: string
        }
        /**
         * A secret is referenced, never written: { env: NAME }.
         */
        username?: {
          /**
           * Environment variable holding the secret.
           */
          env: string
        }
        /**
         * A secret is referenced, never written: { env: NAME }.
         */
        password?: {
          /**
           * Environment variable holding the secret.
           */
          env: string
        }
        /**
         * Header carrying the api key (api-key).
         */
        header?: string
        /**
         * A secret is referenced, never written: { env: NAME }.
         */
        key?: {
          /**
           * Environment variable holding the secret.
           */
          env: string
        }
        tokenUrl?: string
        /**
         * A secret is referenced, never written: { env: NAME }.
         */
        clientId?: {
          /**
           * Environment variable holding the secret.
           */
          env: string
        }
        /**
         * A secret is referenced, never written: { env: NAME }.
         */
        clientSecret?: {
          /**
           * Environment variable holding the secret.
           */
          env: string
        }
        /**
         * A secret is referenced, never written: { env: NAME }.
         */
        refreshToken?: {
          /**
           * Environment variable holding the secret.
           */
          env: string
        }
        scopes?: string[]
      }
      /**
       * Extra request headers (no secrets).
       */
      headers?: {
        [k: string]: string | undefined
      }
      rateLimit?: {
        requestsPerSecond: number
        burst?: number
      }
      operations?: {
        [k: string]:
          | {
              method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE"
              /**
               * Path below the base URL; {name} placeholders are filled from the request.
               */
              path: string
              /**
               * Name of the request body schema (see schemas).
               */
              request?: string
              /**
               * Name of the response body schema (see schemas).
               */
              response?: string
              /**
               * Header carrying the idempotency key, e.g. Idempotency-Key.
               */
              idempotencyHeader?: string
              /**
               * A duration: a whole number followed by ms, s, m, h, d or w (e.g. 30s, 24h, 28d).
               */
              timeout?: string
              description?: string
            }
          | undefined
      }
    }
    webhook?: {
      /**
       * Ingress path served by the runtime.
       */
      path: string
      /**
       * Topic (e.g. orders/create) to the schema name of its body.
       */
      topics?: {
        [k: string]: string | undefined
      }
      signature?: {
        algorithm: "hmac-sha256"
        /**
         * Header carrying the signature, e.g. X-Shopify-Hmac-Sha256.
         */
        header: string
        encoding?: "base64" | "hex"
        /**
         * A secret is referenced, never written: { env: NAME }.
         */
        secret: {
          /**
           * Environment variable holding the secret.
           */
          env: string
        }
      }
      maxBodyBytes?: number
    }
    /**
     * Payload schemas: name -> JSON Schema file, relative to the partner folder.
     */
    schemas?: {
      [k: string]: string | undefined
    }
    transport?: {
      /**
       * directory is served; sftp and as2 are declared for documentation.
       */
      protocol?: "directory" | "sftp" | "as2"
      /**
       * Folder (relative to the runtime data dir) where the partner's files arrive.
       */
      inbox: string
      /**
       * Folder where outbound files are written (write, then rename).
       */
      outbox: string
      archive?: string
      quarantine?: string
      host?: string
      /**
       * A secret is referenced, never written: { env: NAME }.
       */
      username?: {
        /**
         * Environment variable holding the secret.
         */
        env: string
      }
      /**
       * A secret is referenced, never written: { env: NAME }.
       */
      password?: {
        /**
         * Environment variable holding the secret.
         */
        env: string
      }
    }
    edi?: {
      partner: {
        /**
         * ISA05/ISA07 qualifier, e.g. ZZ, 01, 08, 12.
         */
        qualifier: string
        /**
         * ISA06/ISA08 interchange id.
         */
        id: string
        /**
         * GS02/GS03 application code; defaults to the interchange id.
         */
        gsId?: string
      }
      us: {
        /**
         * ISA05/ISA07 qualifier, e.g. ZZ, 01, 08, 12.
         */
        qualifier: string
        /**
         * ISA06/ISA08 interchange id.
         */
        id: string
        /**
         * GS02/GS03 application code; defaults to the interchange id.
         */
        gsId?: string
      }
      /**
       * ISA12 interchange control version, e.g. 00401.
       */
      version: string
      /**
       * GS08, e.g. 004010 or 004010VICS.
       */
      groupVersion?: string
      /**
       * ISA15: production or test.
       */
      usage?: "P" | "T"
      delimiters?: {
        element?: string
        component?: string
        segment?: string
        repetition?: string
      }
      /**
       * @minItems 1
       */
      documents: [
        {
          /**
           * An X12 transaction set identifier (ST01), e.g. 850.
           */
          type: string
          direction: "inbound" | "outbound"
          /**
           * The Guide that describes this document for this partner.
           */
          guide?: string
          /**
           * The Mapping that turns it into (inbound) or builds it from (outbound) canonical data.
           */
          mapping?: string
        },
        ...{
          /**
           * An X12 transaction set identifier (ST01), e.g. 850.
           */
          type: string
          direction: "inbound" | "outbound"
          /**
           * The Guide that describes this document for this partner.
           */
          guide?: string
          /**
           * The Mapping that turns it into (inbound) or builds it from (outbound) canonical data.
           */
          mapping?: string
        }[]
      ]
      acknowledgment?: {
        /**
         * What we send back for the partner's groups.
         */
        send?: "997" | "999" | "none"
        /**
         * What the partner sends back for ours.
         */
        expect?: "997" | "999" | "none"
        /**
         * A duration: a whole number followed by ms, s, m, h, d or w (e.g. 30s, 24h, 28d).
         */
        within?: string
        /**
         * ISA14 on our interchanges.
         */
        requestTA1?: boolean
      }
    }
    warehouses?: {
      /**
       * The WMS's site code.
       */
      code: string
      name?: string
      timezone?: string
      /**
       * Shipping region served first, e.g. US-WEST.
       */
      region?: string
      /**
       * @minItems 1
       */
      serviceLevels: [
        "standard" | "expedited" | "next-day" | "freight",
        ...("standard" | "expedited" | "next-day" | "freight")[]
      ]
      /**
       * Same-day pick cut-off, local time.
       */
      cutoff?: string
      constraints?: {
        /**
         * May ship hazardous materials.
         */
        hazmat?: boolean
        maxWeightKg?: number
        /**
         * Sales channels it may fulfil (empty = all).
         */
        channels?: string[]
        carriers?: string[]
      }
      /**
       * Lower wins ties.
       */
      priority?: number
    }[]
    /**
     * Identifier crosswalks (locations, units of measure, SKUs): table -> from -> to.
     */
    crosswalks?: {
      [k: string]:
        | {
            [k: string]: string | undefined
          }
        | undefined
    }
    /**
     * Mappings this partner owns (informational).
     *
     * Items: Lower-case letters, digits and '-', 1-63 characters, starting and ending with a letter or digit.
     */
    mappings?: string[]
  }
}

export interface GuideDocument {
  apiVersion: "tradelane/v1"
  kind: "Guide"
  metadata: {
    /**
     * Lower-case letters, digits and '-', 1-63 characters, starting and ending with a letter or digit.
     */
    name: string
    /**
     * Code owners; they review changes to this document.
     *
     * Items: A GitHub team '@org/team', a user '@user', or an e-mail address.
     */
    owners?: string[]
    labels?: {
      [k: string]: string | undefined
    }
    description?: string
  }
  spec: {
    /**
     * ST01, e.g. "850".
     */
    transactionSet: string
    /**
     * GS01, e.g. PO.
     */
    functionalGroup: string
    /**
     * GS08, e.g. 004010, 004010VICS, 005010X231 (acknowledgments are then 999).
     */
    version: string
    /**
     * Whether we receive (inbound) or send (outbound) this set.
     */
    direction?: "inbound" | "outbound"
    description?: string
    /**
     * Body of the set in order.
     *
     * @minItems 1
     */
    segments: [
      (
        | {
            /**
             * Segment id (2-3 characters). ST/SE and envelope segments are handled by the engine and are not listed.
             */
            segment: string
            /**
             * JSON key for this segment's elements (an array when max > 1). Omit to put its elements directly in the enclosing object.
             */
            name?: string
            description?: string
            /**
             * required: must be present (AK3 3 / AK4 1 when missing); optional and situational: may be present; not-used: must be absent (999 I4 / I10).
             */
            usage?: "required" | "optional" | "situational" | "not-used"
            /**
             * Maximum use (default 1); AK3 5 when exceeded.
             */
            max?: number
            /**
             * Selects this segment or loop only when the qualifier element holds one of the codes.
             */
            qualifier?: {
              /**
               * Element whose value tells this segment or loop from others with the same id (e.g. N101).
               */
              element: string
              /**
               * Values of that element that select this item (e.g. [ST]).
               *
               * @minItems 1
               */
              codes: [string, ...string[]]
            }
            /**
             * Syntax notes (AK4 2 / 10 when violated).
             *
             * Items: X12 syntax note: P paired, R at least one required, E only one, C if first then all others, L if first then at least one other; e.g. P0607, C0302.
             */
            syntax?: string[]
            /**
             * Elements in position order; elements past the last one listed are AK4 3.
             *
             * Items: A data element. `type` is required unless `components` is given.
             */
            elements?: {
              /**
               * Segment id plus two-digit position, e.g. BEG03 (for a component: PO401-01).
               */
              id: string
              /**
               * JSON key. Omit to validate the element without putting it in the JSON (qualifiers, HL numbers).
               */
              name?: string
              /**
               * What the element holds, for people reading the guide.
               */
              description?: string
              /**
               * X12 data type: ID (code), AN (string), N0..N9 (numeric with implied decimals), R (decimal), DT (date), TM (time), B (binary).
               */
              type?: string
              /**
               * Minimum length.
               */
              min?: number
              /**
               * Maximum length.
               */
              max?: number
              /**
               * required: must be present (AK3 3 / AK4 1 when missing); optional and situational: may be present; not-used: must be absent (999 I4 / I10).
               */
              usage?: "required" | "optional" | "situational" | "not-used"
              /**
               * Allowed values (AK4 7 otherwise).
               */
              codes?: string[]
              /**
               * Maximum repetitions (ISA11 separator); the JSON value is then an array.
               */
              repeat?: number
              /**
               * Makes this a composite element; its JSON value is an object.
               *
               * @minItems 1
               *
               * Items: A component of a composite element.
               */
              components?: [
                {
                  /**
                   * Segment id plus two-digit position, e.g. BEG03 (for a component: PO401-01).
                   */
                  id: string
                  /**
                   * JSON key. Omit to validate the element without putting it in the JSON (qualifiers, HL numbers).
                   */
                  name?: string
                  /**
                   * What the element holds, for people reading the guide.
                   */
                  description?: string
                  /**
                   * X12 data type: ID (code), AN (string), N0..N9 (numeric with implied decimals), R (decimal), DT (date), TM (time), B (binary).
                   */
                  type: string
                  /**
                   * Minimum length.
                   */
                  min?: number
                  /**
                   * Maximum length.
                   */
                  max?: number
                  /**
                   * required: must be present (AK3 3 / AK4 1 when missing); optional and situational: may be present; not-used: must be absent (999 I4 / I10).
                   */
                  usage?: "required" | "optional" | "situational" | "not-used"
                  /**
                   * Allowed values (AK4 7 otherwise).
                   */
                  codes?: string[]
                  /**
                   * Maximum repetitions (ISA11 separator); the JSON value is then an array.
                   */
                  repeat?: number
                },
                ...{
                  /**
                   * Segment id plus two-digit position, e.g. BEG03 (for a component: PO401-01).
                   */
                  id: string
                  /**
                   * JSON key. Omit to validate the element without putting it in the JSON (qualifiers, HL numbers).
                   */
                  name?: string
                  /**
                   * What the element holds, for people reading the guide.
                   */
                  description?: string
                  /**
                   * X12 data type: ID (code), AN (string), N0..N9 (numeric with implied decimals), R (decimal), DT (date), TM (time), B (binary).
                   */
                  type: string
                  /**
                   * Minimum length.
                   */
                  min?: number
                  /**
                   * Maximum length.
                   */
                  max?: number
                  /**
                   * required: must be present (AK3 3 / AK4 1 when missing); optional and situational: may be present; not-used: must be absent (999 I4 / I10).
                   */
                  usage?: "required" | "optional" | "situational" | "not-used"
                  /**
                   * Allowed values (AK4 7 otherwise).
                   */
                  codes?: string[]
                  /**
                   * Maximum repetitions (ISA11 separator); the JSON value is then an array.
                   */
                  repeat?: number
                }[]
              ]
            }[]
          }
        | Loop
      ),
      ...(
        | {
            /**
             * Segment id (2-3 characters). ST/SE and envelope segments are handled by the engine and are not listed.
             */
            segment: string
            /**
             * JSON key for this segment's elements (an array when max > 1). Omit to put its elements directly in the enclosing object.
             */
            name?: string
            description?: string
            /**
             * required: must be present (AK3 3 / AK4 1 when missing); optional and situational: may be present; not-used: must be absent (999 I4 / I10).
             */
            usage?: "required" | "optional" | "situational" | "not-used"
            /**
             * Maximum use (default 1); AK3 5 when exceeded.
             */
            max?: number
            /**
             * Selects this segment or loop only when the qualifier element holds one of the codes.
             */
            qualifier?: {
              /**
               * Element whose value tells this segment or loop from others with the same id (e.g. N101).
               */
              element: string
              /**
               * Values of that element that select this item (e.g. [ST]).
               *
               * @minItems 1
               */
              codes: [string, ...string[]]
            }
            /**
             * Syntax notes (AK4 2 / 10 when violated).
             *
             * Items: X12 syntax note: P paired, R at least one required, E only one, C if first then all others, L if first then at least one other; e.g. P0607, C0302.
             */
            syntax?: string[]
            /**
             * Elements in position order; elements past the last one listed are AK4 3.
             *
             * Items: A data element. `type` is required unless `components` is given.
             */
            elements?: {
              /**
               * Segment id plus two-digit position, e.g. BEG03 (for a component: PO401-01).
               */
              id: string
              /**
               * JSON key. Omit to validate the element without putting it in the JSON (qualifiers, HL numbers).
               */
              name?: string
              /**
               * What the element holds, for people reading the guide.
               */
              description?: string
              /**
               * X12 data type: ID (code), AN (string), N0..N9 (numeric with implied decimals), R (decimal), DT (date), TM (time), B (binary).
               */
              type?: string
              /**
               * Minimum length.
               */
              min?: number
              /**
               * Maximum length.
               */
              max?: number
              /**
               * required: must be present (AK3 3 / AK4 1 when missing); optional and situational: may be present; not-used: must be absent (999 I4 / I10).
               */
              usage?: "required" | "optional" | "situational" | "not-used"
              /**
               * Allowed values (AK4 7 otherwise).
               */
              codes?: string[]
              /**
               * Maximum repetitions (ISA11 separator); the JSON value is then an array.
               */
              repeat?: number
              /**
               * Makes this a composite element; its JSON value is an object.
               *
               * @minItems 1
               *
               * Items: A component of a composite element.
               */
              components?: [
                {
                  /**
                   * Segment id plus two-digit position, e.g. BEG03 (for a component: PO401-01).
                   */
                  id: string
                  /**
                   * JSON key. Omit to validate the element without putting it in the JSON (qualifiers, HL numbers).
                   */
                  name?: string
                  /**
                   * What the element holds, for people reading the guide.
                   */
                  description?: string
                  /**
                   * X12 data type: ID (code), AN (string), N0..N9 (numeric with implied decimals), R (decimal), DT (date), TM (time), B (binary).
                   */
                  type: string
                  /**
                   * Minimum length.
                   */
                  min?: number
                  /**
                   * Maximum length.
                   */
                  max?: number
                  /**
                   * required: must be present (AK3 3 / AK4 1 when missing); optional and situational: may be present; not-used: must be absent (999 I4 / I10).
                   */
                  usage?: "required" | "optional" | "situational" | "not-used"
                  /**
                   * Allowed values (AK4 7 otherwise).
                   */
                  codes?: string[]
                  /**
                   * Maximum repetitions (ISA11 separator); the JSON value is then an array.
                   */
                  repeat?: number
                },
                ...{
                  /**
                   * Segment id plus two-digit position, e.g. BEG03 (for a component: PO401-01).
                   */
                  id: string
                  /**
                   * JSON key. Omit to validate the element without putting it in the JSON (qualifiers, HL numbers).
                   */
                  name?: string
                  /**
                   * What the element holds, for people reading the guide.
                   */
                  description?: string
                  /**
                   * X12 data type: ID (code), AN (string), N0..N9 (numeric with implied decimals), R (decimal), DT (date), TM (time), B (binary).
                   */
                  type: string
                  /**
                   * Minimum length.
                   */
                  min?: number
                  /**
                   * Maximum length.
                   */
                  max?: number
                  /**
                   * required: must be present (AK3 3 / AK4 1 when missing); optional and situational: may be present; not-used: must be absent (999 I4 / I10).
                   */
                  usage?: "required" | "optional" | "situational" | "not-used"
                  /**
                   * Allowed values (AK4 7 otherwise).
                   */
                  codes?: string[]
                  /**
                   * Maximum repetitions (ISA11 separator); the JSON value is then an array.
                   */
                  repeat?: number
                }[]
              ]
            }[]
          }
        | Loop
      )[]
    ]
    /**
     * Cross-segment rules checked after structuring (GUIDE:<rule> findings).
     */
    rules?: {
      /**
       * line-count: the element holds the number of `counts` segments in the set.
       */
      rule: "line-count"
      /**
       * Element holding the count, e.g. CTT01.
       */
      element: string
      /**
       * Segment id counted, e.g. PO1 (850) or HL (856).
       */
      counts: string
    }[]
    /**
     * Acknowledgment expectations; 999 when version is 005010X231.
     */
    acknowledgment?: {
      /**
       * Which functional acknowledgment answers this set.
       */
      type?: "997" | "999"
      /**
       * How long the partner has to acknowledge what we send, e.g. 24h.
       */
      window?: string
    }
  }
}
export interface Loop {
  /**
   * Id of the loop's first segment (the loop trigger), e.g. N1, PO1, HL.
   */
  loop: string
  /**
   * JSON key of the loop (an array of objects when max > 1, else one object).
   */
  name: string
  description?: string
  /**
   * required: must be present (AK3 3 / AK4 1 when missing); optional and situational: may be present; not-used: must be absent (999 I4 / I10).
   */
  usage?: "required" | "optional" | "situational" | "not-used"
  /**
   * Maximum loop repeats (default 1); AK3 4 when exceeded.
   */
  max?: number
  /**
   * Selects this segment or loop only when the qualifier element holds one of the codes.
   */
  qualifier?: {
    /**
     * Element whose value tells this segment or loop from others with the same id (e.g. N101).
     */
    element: string
    /**
     * Values of that element that select this item (e.g. [ST]).
     *
     * @minItems 1
     */
    codes: [string, ...string[]]
  }
  /**
   * For HL loops: the HL03 level code this loop stands for (856: S shipment, O order, P pack, T tare, I item).
   */
  level?: string
  /**
   * For HL loops: the loops allowed as HL children of this level (HL02 points back at this one).
   */
  children?: Loop[]
  /**
   * The loop's segments, trigger first.
   *
   * @minItems 1
   */
  segments: [
    (
      | {
          /**
           * Segment id (2-3 characters). ST/SE and envelope segments are handled by the engine and are not listed.
           */
          segment: string
          /**
           * JSON key for this segment's elements (an array when max > 1). Omit to put its elements directly in the enclosing object.
           */
          name?: string
          description?: string
          /**
           * required: must be present (AK3 3 / AK4 1 when missing); optional and situational: may be present; not-used: must be absent (999 I4 / I10).
           */
          usage?: "required" | "optional" | "situational" | "not-used"
          /**
           * Maximum use (default 1); AK3 5 when exceeded.
           */
          max?: number
          /**
           * Selects this segment or loop only when the qualifier element holds one of the codes.
           */
          qualifier?: {
            /**
             * Element whose value tells this segment or loop from others with the same id (e.g. N101).
             */
            element: string
            /**
             * Values of that element that select this item (e.g. [ST]).
             *
             * @minItems 1
             */
            codes: [string, ...string[]]
          }
          /**
           * Syntax notes (AK4 2 / 10 when violated).
           *
           * Items: X12 syntax note: P paired, R at least one required, E only one, C if first then all others, L if first then at least one other; e.g. P0607, C0302.
           */
          syntax?: string[]
          /**
           * Elements in position order; elements past the last one listed are AK4 3.
           *
           * Items: A data element. `type` is required unless `components` is given.
           */
          elements?: {
            /**
             * Segment id plus two-digit position, e.g. BEG03 (for a component: PO401-01).
             */
            id: string
            /**
             * JSON key. Omit to validate the element without putting it in the JSON (qualifiers, HL numbers).
             */
            name?: string
            /**
             * What the element holds, for people reading the guide.
             */
            description?: string
            /**
             * X12 data type: ID (code), AN (string), N0..N9 (numeric with implied decimals), R (decimal), DT (date), TM (time), B (binary).
             */
            type?: string
            /**
             * Minimum length.
             */
            min?: number
            /**
             * Maximum length.
             */
            max?: number
            /**
             * required: must be present (AK3 3 / AK4 1 when missing); optional and situational: may be present; not-used: must be absent (999 I4 / I10).
             */
            usage?: "required" | "optional" | "situational" | "not-used"
            /**
             * Allowed values (AK4 7 otherwise).
             */
            codes?: string[]
            /**
             * Maximum repetitions (ISA11 separator); the JSON value is then an array.
             */
            repeat?: number
            /**
             * Makes this a composite element; its JSON value is an object.
             *
             * @minItems 1
             *
             * Items: A component of a composite element.
             */
            components?: [
              {
                /**
                 * Segment id plus two-digit position, e.g. BEG03 (for a component: PO401-01).
                 */
                id: string
                /**
                 * JSON key. Omit to validate the element without putting it in the JSON (qualifiers, HL numbers).
                 */
                name?: string
                /**
                 * What the element holds, for people reading the guide.
                 */
                description?: string
                /**
                 * X12 data type: ID (code), AN (string), N0..N9 (numeric with implied decimals), R (decimal), DT (date), TM (time), B (binary).
                 */
                type: string
                /**
                 * Minimum length.
                 */
                min?: number
                /**
                 * Maximum length.
                 */
                max?: number
                /**
                 * required: must be present (AK3 3 / AK4 1 when missing); optional and situational: may be present; not-used: must be absent (999 I4 / I10).
                 */
                usage?: "required" | "optional" | "situational" | "not-used"
                /**
                 * Allowed values (AK4 7 otherwise).
                 */
                codes?: string[]
                /**
                 * Maximum repetitions (ISA11 separator); the JSON value is then an array.
                 */
                repeat?: number
              },
              ...{
                /**
                 * Segment id plus two-digit position, e.g. BEG03 (for a component: PO401-01).
                 */
                id: string
                /**
                 * JSON key. Omit to validate the element without putting it in the JSON (qualifiers, HL numbers).
                 */
                name?: string
                /**
                 * What the element holds, for people reading the guide.
                 */
                description?: string
                /**
                 * X12 data type: ID (code), AN (string), N0..N9 (numeric with implied decimals), R (decimal), DT (date), TM (time), B (binary).
                 */
                type: string
                /**
                 * Minimum length.
                 */
                min?: number
                /**
                 * Maximum length.
                 */
                max?: number
                /**
                 * required: must be present (AK3 3 / AK4 1 when missing); optional and situational: may be present; not-used: must be absent (999 I4 / I10).
                 */
                usage?: "required" | "optional" | "situational" | "not-used"
                /**
                 * Allowed values (AK4 7 otherwise).
                 */
                codes?: string[]
                /**
                 * Maximum repetitions (ISA11 separator); the JSON value is then an array.
                 */
                repeat?: number
              }[]
            ]
          }[]
        }
      | Loop
    ),
    ...(
      | {
          /**
           * Segment id (2-3 characters). ST/SE and envelope segments are handled by the engine and are not listed.
           */
          segment: string
          /**
           * JSON key for this segment's elements (an array when max > 1). Omit to put its elements directly in the enclosing object.
           */
          name?: string
          description?: string
          /**
           * required: must be present (AK3 3 / AK4 1 when missing); optional and situational: may be present; not-used: must be absent (999 I4 / I10).
           */
          usage?: "required" | "optional" | "situational" | "not-used"
          /**
           * Maximum use (default 1); AK3 5 when exceeded.
           */
          max?: number
          /**
           * Selects this segment or loop only when the qualifier element holds one of the codes.
           */
          qualifier?: {
            /**
             * Element whose value tells this segment or loop from others with the same id (e.g. N101).
             */
            element: string
            /**
             * Values of that element that select this item (e.g. [ST]).
             *
             * @minItems 1
             */
            codes: [string, ...string[]]
          }
          /**
           * Syntax notes (AK4 2 / 10 when violated).
           *
           * Items: X12 syntax note: P paired, R at least one required, E only one, C if first then all others, L if first then at least one other; e.g. P0607, C0302.
           */
          syntax?: string[]
          /**
           * Elements in position order; elements past the last one listed are AK4 3.
           *
           * Items: A data element. `type` is required unless `components` is given.
           */
          elements?: {
            /**
             * Segment id plus two-digit position, e.g. BEG03 (for a component: PO401-01).
             */
            id: string
            /**
             * JSON key. Omit to validate the element without putting it in the JSON (qualifiers, HL numbers).
             */
            name?: string
            /**
             * What the element holds, for people reading the guide.
             */
            description?: string
            /**
             * X12 data type: ID (code), AN (string), N0..N9 (numeric with implied decimals), R (decimal), DT (date), TM (time), B (binary).
             */
            type?: string
            /**
             * Minimum length.
             */
            min?: number
            /**
             * Maximum length.
             */
            max?: number
            /**
             * required: must be present (AK3 3 / AK4 1 when missing); optional and situational: may be present; not-used: must be absent (999 I4 / I10).
             */
            usage?: "required" | "optional" | "situational" | "not-used"
            /**
             * Allowed values (AK4 7 otherwise).
             */
            codes?: string[]
            /**
             * Maximum repetitions (ISA11 separator); the JSON value is then an array.
             */
            repeat?: number
            /**
             * Makes this a composite element; its JSON value is an object.
             *
             * @minItems 1
             *
             * Items: A component of a composite element.
             */
            components?: [
              {
                /**
                 * Segment id plus two-digit position, e.g. BEG03 (for a component: PO401-01).
                 */
                id: string
                /**
                 * JSON key. Omit to validate the element without putting it in the JSON (qualifiers, HL numbers).
                 */
                name?: string
                /**
                 * What the element holds, for people reading the guide.
                 */
                description?: string
                /**
                 * X12 data type: ID (code), AN (string), N0..N9 (numeric with implied decimals), R (decimal), DT (date), TM (time), B (binary).
                 */
                type: string
                /**
                 * Minimum length.
                 */
                min?: number
                /**
                 * Maximum length.
                 */
                max?: number
                /**
                 * required: must be present (AK3 3 / AK4 1 when missing); optional and situational: may be present; not-used: must be absent (999 I4 / I10).
                 */
                usage?: "required" | "optional" | "situational" | "not-used"
                /**
                 * Allowed values (AK4 7 otherwise).
                 */
                codes?: string[]
                /**
                 * Maximum repetitions (ISA11 separator); the JSON value is then an array.
                 */
                repeat?: number
              },
              ...{
                /**
                 * Segment id plus two-digit position, e.g. BEG03 (for a component: PO401-01).
                 */
                id: string
                /**
                 * JSON key. Omit to validate the element without putting it in the JSON (qualifiers, HL numbers).
                 */
                name?: string
                /**
                 * What the element holds, for people reading the guide.
                 */
                description?: string
                /**
                 * X12 data type: ID (code), AN (string), N0..N9 (numeric with implied decimals), R (decimal), DT (date), TM (time), B (binary).
                 */
                type: string
                /**
                 * Minimum length.
                 */
                min?: number
                /**
                 * Maximum length.
                 */
                max?: number
                /**
                 * required: must be present (AK3 3 / AK4 1 when missing); optional and situational: may be present; not-used: must be absent (999 I4 / I10).
                 */
                usage?: "required" | "optional" | "situational" | "not-used"
                /**
                 * Allowed values (AK4 7 otherwise).
                 */
                codes?: string[]
                /**
                 * Maximum repetitions (ISA11 separator); the JSON value is then an array.
                 */
                repeat?: number
              }[]
            ]
          }[]
        }
      | Loop
    )[]
  ]
}

export interface CanonicalEntityDocument {
  apiVersion: "tradelane/v1"
  kind: "CanonicalEntity"
  metadata: {
    /**
     * Lower-case letters, digits and '-', 1-63 characters, starting and ending with a letter or digit.
     */
    name: string
    /**
     * Code owners; they review changes to this document.
     *
     * Items: A GitHub team '@org/team', a user '@user', or an e-mail address.
     */
    owners?: string[]
    labels?: {
      [k: string]: string | undefined
    }
    description?: string
  }
  spec: {
    /**
     * Major version; a breaking change needs a new one (order@2).
     */
    version: number
    /**
     * Business key field, e.g. orderId.
     */
    key: string
    description?: string
    /**
     * JSON Schema (draft-07) of the entity; an object with properties.
     */
    schema: {
      type: "object"
      properties: {}
      required?: string[]
      additionalProperties?: boolean
    }
  }
}

export interface MappingDocument {
  apiVersion: "tradelane/v1"
  kind: "Mapping"
  metadata: {
    /**
     * Lower-case letters, digits and '-', 1-63 characters, starting and ending with a letter or digit.
     */
    name: string
    /**
     * Code owners; they review changes to this document.
     *
     * Items: A GitHub team '@org/team', a user '@user', or an e-mail address.
     */
    owners?: string[]
    labels?: {
      [k: string]: string | undefined
    }
    description?: string
  }
  spec: {
    description?: string
    /**
     * Exactly one of entity, schema or guide.
     */
    source: {
      /**
       * A canonical entity and its major version, e.g. order@1.
       */
      entity?: string
      /**
       * A partner payload schema: <partner>/<SchemaName>, e.g. amazon-us/Order.
       */
      schema?: string
      /**
       * An EDI guide (kind: Guide) by name.
       */
      guide?: string
    }
    /**
     * Exactly one of entity, schema or guide.
     */
    target: {
      /**
       * A canonical entity and its major version, e.g. order@1.
       */
      entity?: string
      /**
       * A partner payload schema: <partner>/<SchemaName>, e.g. amazon-us/Order.
       */
      schema?: string
      /**
       * An EDI guide (kind: Guide) by name.
       */
      guide?: string
    }
    /**
     * Lookup tables (crosswalks) for $lookup('table', key[, default]).
     */
    tables?: {
      [k: string]:
        | {
            [k: string]: string | number | boolean | undefined
          }
        | undefined
    }
    fields: Fields
  }
}
/**
 * Target field -> rule.
 */
export interface Fields {
  [k: string]:
    | string
    | {
        /**
         * Items to iterate; inside, paths are relative to the item and $$ is the input.
         */
        each?: string
        fields: Fields
      }
    | undefined
}

export interface EventTaxonomyDocument {
  apiVersion: "tradelane/v1"
  kind: "EventTaxonomy"
  metadata: {
    /**
     * Lower-case letters, digits and '-', 1-63 characters, starting and ending with a letter or digit.
     */
    name: string
    /**
     * Code owners; they review changes to this document.
     *
     * Items: A GitHub team '@org/team', a user '@user', or an e-mail address.
     */
    owners?: string[]
    labels?: {
      [k: string]: string | undefined
    }
    description?: string
  }
  spec: {
    /**
     * Business domain, e.g. order-to-cash.
     */
    domain: string
    /**
     * CloudEvents source URI prefix.
     */
    source?: string
    description?: string
    /**
     * @minItems 1
     */
    events: [
      {
        /**
         * A dotted event type, e.g. order.received (its version is declared in the taxonomy).
         */
        type: string
        /**
         * Published as <type>.v<version> in the CloudEvents type.
         */
        version: number
        /**
         * A canonical entity and its major version, e.g. order@1.
         */
        payload: string
        /**
         * Systems (partners, or 'tradelane') that produce it.
         *
         * @minItems 1
         *
         * Items: Lower-case letters, digits and '-', 1-63 characters, starting and ending with a letter or digit.
         */
        producers: [string, ...string[]]
        /**
         * Business key field of the payload (order id, PO number, ASN, invoice).
         */
        key: string
        description?: string
      },
      ...{
        /**
         * A dotted event type, e.g. order.received (its version is declared in the taxonomy).
         */
        type: string
        /**
         * Published as <type>.v<version> in the CloudEvents type.
         */
        version: number
        /**
         * A canonical entity and its major version, e.g. order@1.
         */
        payload: string
        /**
         * Systems (partners, or 'tradelane') that produce it.
         *
         * @minItems 1
         *
         * Items: Lower-case letters, digits and '-', 1-63 characters, starting and ending with a letter or digit.
         */
        producers: [string, ...string[]]
        /**
         * Business key field of the payload (order id, PO number, ASN, invoice).
         */
        key: string
        description?: string
      }[]
    ]
  }
}

export interface LifecycleDocument {
  apiVersion: "tradelane/v1"
  kind: "Lifecycle"
  metadata: {
    /**
     * Lower-case letters, digits and '-', 1-63 characters, starting and ending with a letter or digit.
     */
    name: string
    /**
     * Code owners; they review changes to this document.
     *
     * Items: A GitHub team '@org/team', a user '@user', or an e-mail address.
     */
    owners?: string[]
    labels?: {
      [k: string]: string | undefined
    }
    description?: string
  }
  spec: {
    /**
     * A canonical entity and its major version, e.g. order@1.
     */
    entity: string
    description?: string
    initial: string
    /**
     * @minItems 1
     */
    states: [
      {
        name: string
        terminal?: boolean
        description?: string
      },
      ...{
        name: string
        terminal?: boolean
        description?: string
      }[]
    ]
    /**
     * @minItems 1
     */
    transitions: [
      {
        from: string | [string, ...string[]]
        to: string
        /**
         * The one system (partner name, or 'tradelane') allowed to make this transition.
         */
        owner: string
        /**
         * A dotted event type, e.g. order.received (its version is declared in the taxonomy).
         */
        event: string
        /**
         * Events that must have happened first; work waits until they have.
         *
         * Items: A dotted event type, e.g. order.received (its version is declared in the taxonomy).
         */
        requires?: string[]
      },
      ...{
        from: string | [string, ...string[]]
        to: string
        /**
         * The one system (partner name, or 'tradelane') allowed to make this transition.
         */
        owner: string
        /**
         * A dotted event type, e.g. order.received (its version is declared in the taxonomy).
         */
        event: string
        /**
         * Events that must have happened first; work waits until they have.
         *
         * Items: A dotted event type, e.g. order.received (its version is declared in the taxonomy).
         */
        requires?: string[]
      }[]
    ]
  }
}

export interface FlowDocument {
  apiVersion: "tradelane/v1"
  kind: "Flow"
  metadata: {
    /**
     * Lower-case letters, digits and '-', 1-63 characters, starting and ending with a letter or digit.
     */
    name: string
    /**
     * Code owners; they review changes to this document.
     *
     * Items: A GitHub team '@org/team', a user '@user', or an e-mail address.
     */
    owners?: string[]
    labels?: {
      [k: string]: string | undefined
    }
    description?: string
  }
  spec: {
    description?: string
    /**
     * How much the business depends on it; policies key off this.
     */
    criticality: "low" | "medium" | "high" | "critical"
    /**
     * Exactly one of webhook, edi, event, schedule.
     */
    trigger: {
      /**
       * An HTTP webhook the partner calls.
       */
      webhook?: {
        /**
         * Lower-case letters, digits and '-', 1-63 characters, starting and ending with a letter or digit.
         */
        partner: string
        topic: string
      }
      /**
       * An X12 document arriving in the partner's inbox.
       */
      edi?: {
        /**
         * Lower-case letters, digits and '-', 1-63 characters, starting and ending with a letter or digit.
         */
        partner: string
        /**
         * An X12 transaction set identifier (ST01), e.g. 850.
         */
        document: string
      }
      /**
       * An event from the taxonomy.
       */
      event?: {
        /**
         * A dotted event type, e.g. order.received (its version is declared in the taxonomy).
         */
        type: string
      }
      /**
       * A schedule, optionally polling a partner operation.
       */
      schedule?: {
        /**
         * A five-field cron expression (minute hour day-of-month month day-of-week), UTC.
         */
        cron: string
        /**
         * Lower-case letters, digits and '-', 1-63 characters, starting and ending with a letter or digit.
         */
        partner?: string
        operation?: string
      }
    }
    /**
     * Expression over the trigger payload; duplicates are dropped before any side effect.
     */
    idempotencyKey: string
    /**
     * Keys an operator searches by (orderId, poNumber, asn, invoice) -> expression.
     */
    businessKeys?: {
      /**
       * A JSONata expression, compiled ahead of time.
       */
      [k: string]: string | undefined
    }
    /**
     * @minItems 1
     *
     * Items: A step: id, optional when, and exactly one action.
     */
    steps: [
      (
        | {
            [k: string]: unknown | undefined
          }
        | {
            [k: string]: unknown | undefined
          }
        | {
            [k: string]: unknown | undefined
          }
        | {
            [k: string]: unknown | undefined
          }
        | {
            [k: string]: unknown | undefined
          }
        | {
            [k: string]: unknown | undefined
          }
        | {
            [k: string]: unknown | undefined
          }
        | {
            [k: string]: unknown | undefined
          }
      ) & {
        id: string
        /**
         * Run the step only when this is true.
         */
        when?: string
        /**
         * Apply a mapping to the current payload.
         */
        map?: {
          /**
           * Lower-case letters, digits and '-', 1-63 characters, starting and ending with a letter or digit.
           */
          mapping: string
        }
        /**
         * Validate the payload against a canonical entity.
         */
        validate?: {
          /**
           * A canonical entity and its major version, e.g. order@1.
           */
          entity: string
        }
        /**
         * Fetch master data from a system and add it to the payload.
         */
        enrich?: {
          /**
           * Lower-case letters, digits and '-', 1-63 characters, starting and ending with a letter or digit.
           */
          partner: string
          operation: string
          into: string
          /**
           * A JSONata expression, compiled ahead of time.
           */
          key?: string
        }
        /**
         * Choose the fulfilling warehouse.
         */
        route?: {
          /**
           * The warehouse partner whose warehouses are candidates.
           */
          partner: string
          /**
           * @minItems 1
           */
          by: [
            "availability" | "service-level" | "constraints" | "region" | "priority",
            ...("availability" | "service-level" | "constraints" | "region" | "priority")[]
          ]
          /**
           * A JSONata expression, compiled ahead of time.
           */
          serviceLevel?: string
        }
        /**
         * Call a partner's HTTP operation (through the outbox), optionally mapping the payload first.
         */
        call?: {
          /**
           * Lower-case letters, digits and '-', 1-63 characters, starting and ending with a letter or digit.
           */
          partner: string
          operation: string
          /**
           * Lower-case letters, digits and '-', 1-63 characters, starting and ending with a letter or digit.
           */
          mapping?: string
        }
        /**
         * Send an X12 document to an EDI partner (through the outbox).
         */
        send?: {
          /**
           * Lower-case letters, digits and '-', 1-63 characters, starting and ending with a letter or digit.
           */
          partner: string
          /**
           * An X12 transaction set identifier (ST01), e.g. 850.
           */
          document: string
          /**
           * Lower-case letters, digits and '-', 1-63 characters, starting and ending with a letter or digit.
           */
          mapping?: string
        }
        /**
         * Send the functional acknowledgment (997/999) the partner expects.
         */
        acknowledge?: {
          /**
           * Lower-case letters, digits and '-', 1-63 characters, starting and ending with a letter or digit.
           */
          partner: string
        }
        /**
         * Publish an event (through the outbox).
         */
        emit?: {
          /**
           * A dotted event type, e.g. order.received (its version is declared in the taxonomy).
           */
          event: string
        }
      } & (
          | {
              [k: string]: unknown | undefined
            }
          | {
              [k: string]: unknown | undefined
            }
          | {
              [k: string]: unknown | undefined
            }
          | {
              [k: string]: unknown | undefined
            }
          | {
              [k: string]: unknown | undefined
            }
          | {
              [k: string]: unknown | undefined
            }
          | {
              [k: string]: unknown | undefined
            }
          | {
              [k: string]: unknown | undefined
            }
        ) & {
          id: string
          /**
           * Run the step only when this is true.
           */
          when?: string
          /**
           * Apply a mapping to the current payload.
           */
          map?: {
            /**
             * Lower-case letters, digits and '-', 1-63 characters, starting and ending with a letter or digit.
             */
            mapping: string
          }
          /**
           * Validate the payload against a canonical entity.
           */
          validate?: {
            /**
             * A canonical entity and its major version, e.g. order@1.
             */
            entity: string
          }
          /**
           * Fetch master data from a system and add it to the payload.
           */
          enrich?: {
            /**
             * Lower-case letters, digits and '-', 1-63 characters, starting and ending with a letter or digit.
             */
            partner: string
            operation: string
            into: string
            /**
             * A JSONata expression, compiled ahead of time.
             */
            key?: string
          }
          /**
           * Choose the fulfilling warehouse.
           */
          route?: {
            /**
             * The warehouse partner whose warehouses are candidates.
             */
            partner: string
            /**
             * @minItems 1
             */
            by: [
              "availability" | "service-level" | "constraints" | "region" | "priority",
              ...("availability" | "service-level" | "constraints" | "region" | "priority")[]
            ]
            /**
             * A JSONata expression, compiled ahead of time.
             */
            serviceLevel?: string
          }
          /**
           * Call a partner's HTTP operation (through the outbox), optionally mapping the payload first.
           */
          call?: {
            /**
             * Lower-case letters, digits and '-', 1-63 characters, starting and ending with a letter or digit.
             */
            partner: string
            operation: string
            /**
             * Lower-case letters, digits and '-', 1-63 characters, starting and ending with a letter or digit.
             */
            mapping?: string
          }
          /**
           * Send an X12 document to an EDI partner (through the outbox).
           */
          send?: {
            /**
             * Lower-case letters, digits and '-', 1-63 characters, starting and ending with a letter or digit.
             */
            partner: string
            /**
             * An X12 transaction set identifier (ST01), e.g. 850.
             */
            document: string
            /**
             * Lower-case letters, digits and '-', 1-63 characters, starting and ending with a letter or digit.
             */
            mapping?: string
          }
          /**
           * Send the functional acknowledgment (997/999) the partner expects.
           */
          acknowledge?: {
            /**
             * Lower-case letters, digits and '-', 1-63 characters, starting and ending with a letter or digit.
             */
            partner: string
          }
          /**
           * Publish an event (through the outbox).
           */
          emit?: {
            /**
             * A dotted event type, e.g. order.received (its version is declared in the taxonomy).
             */
            event: string
          }
        },
      ...((
        | {
            [k: string]: unknown | undefined
          }
        | {
            [k: string]: unknown | undefined
          }
        | {
            [k: string]: unknown | undefined
          }
        | {
            [k: string]: unknown | undefined
          }
        | {
            [k: string]: unknown | undefined
          }
        | {
            [k: string]: unknown | undefined
          }
        | {
            [k: string]: unknown | undefined
          }
        | {
            [k: string]: unknown | undefined
          }
      ) & {
        id: string
        /**
         * Run the step only when this is true.
         */
        when?: string
        /**
         * Apply a mapping to the current payload.
         */
        map?: {
          /**
           * Lower-case letters, digits and '-', 1-63 characters, starting and ending with a letter or digit.
           */
          mapping: string
        }
        /**
         * Validate the payload against a canonical entity.
         */
        validate?: {
          /**
           * A canonical entity and its major version, e.g. order@1.
           */
          entity: string
        }
        /**
         * Fetch master data from a system and add it to the payload.
         */
        enrich?: {
          /**
           * Lower-case letters, digits and '-', 1-63 characters, starting and ending with a letter or digit.
           */
          partner: string
          operation: string
          into: string
          /**
           * A JSONata expression, compiled ahead of time.
           */
          key?: string
        }
        /**
         * Choose the fulfilling warehouse.
         */
        route?: {
          /**
           * The warehouse partner whose warehouses are candidates.
           */
          partner: string
          /**
           * @minItems 1
           */
          by: [
            "availability" | "service-level" | "constraints" | "region" | "priority",
            ...("availability" | "service-level" | "constraints" | "region" | "priority")[]
          ]
          /**
           * A JSONata expression, compiled ahead of time.
           */
          serviceLevel?: string
        }
        /**
         * Call a partner's HTTP operation (through the outbox), optionally mapping the payload first.
         */
        call?: {
          /**
           * Lower-case letters, digits and '-', 1-63 characters, starting and ending with a letter or digit.
           */
          partner: string
          operation: string
          /**
           * Lower-case letters, digits and '-', 1-63 characters, starting and ending with a letter or digit.
           */
          mapping?: string
        }
        /**
         * Send an X12 document to an EDI partner (through the outbox).
         */
        send?: {
          /**
           * Lower-case letters, digits and '-', 1-63 characters, starting and ending with a letter or digit.
           */
          partner: string
          /**
           * An X12 transaction set identifier (ST01), e.g. 850.
           */
          document: string
          /**
           * Lower-case letters, digits and '-', 1-63 characters, starting and ending with a letter or digit.
           */
          mapping?: string
        }
        /**
         * Send the functional acknowledgment (997/999) the partner expects.
         */
        acknowledge?: {
          /**
           * Lower-case letters, digits and '-', 1-63 characters, starting and ending with a letter or digit.
           */
          partner: string
        }
        /**
         * Publish an event (through the outbox).
         */
        emit?: {
          /**
           * A dotted event type, e.g. order.received (its version is declared in the taxonomy).
           */
          event: string
        }
      } & (
          | {
              [k: string]: unknown | undefined
            }
          | {
              [k: string]: unknown | undefined
            }
          | {
              [k: string]: unknown | undefined
            }
          | {
              [k: string]: unknown | undefined
            }
          | {
              [k: string]: unknown | undefined
            }
          | {
              [k: string]: unknown | undefined
            }
          | {
              [k: string]: unknown | undefined
            }
          | {
              [k: string]: unknown | undefined
            }
        ) & {
          id: string
          /**
           * Run the step only when this is true.
           */
          when?: string
          /**
           * Apply a mapping to the current payload.
           */
          map?: {
            /**
             * Lower-case letters, digits and '-', 1-63 characters, starting and ending with a letter or digit.
             */
            mapping: string
          }
          /**
           * Validate the payload against a canonical entity.
           */
          validate?: {
            /**
             * A canonical entity and its major version, e.g. order@1.
             */
            entity: string
          }
          /**
           * Fetch master data from a system and add it to the payload.
           */
          enrich?: {
            /**
             * Lower-case letters, digits and '-', 1-63 characters, starting and ending with a letter or digit.
             */
            partner: string
            operation: string
            into: string
            /**
             * A JSONata expression, compiled ahead of time.
             */
            key?: string
          }
          /**
           * Choose the fulfilling warehouse.
           */
          route?: {
            /**
             * The warehouse partner whose warehouses are candidates.
             */
            partner: string
            /**
             * @minItems 1
             */
            by: [
              "availability" | "service-level" | "constraints" | "region" | "priority",
              ...("availability" | "service-level" | "constraints" | "region" | "priority")[]
            ]
            /**
             * A JSONata expression, compiled ahead of time.
             */
            serviceLevel?: string
          }
          /**
           * Call a partner's HTTP operation (through the outbox), optionally mapping the payload first.
           */
          call?: {
            /**
             * Lower-case letters, digits and '-', 1-63 characters, starting and ending with a letter or digit.
             */
            partner: string
            operation: string
            /**
             * Lower-case letters, digits and '-', 1-63 characters, starting and ending with a letter or digit.
             */
            mapping?: string
          }
          /**
           * Send an X12 document to an EDI partner (through the outbox).
           */
          send?: {
            /**
             * Lower-case letters, digits and '-', 1-63 characters, starting and ending with a letter or digit.
             */
            partner: string
            /**
             * An X12 transaction set identifier (ST01), e.g. 850.
             */
            document: string
            /**
             * Lower-case letters, digits and '-', 1-63 characters, starting and ending with a letter or digit.
             */
            mapping?: string
          }
          /**
           * Send the functional acknowledgment (997/999) the partner expects.
           */
          acknowledge?: {
            /**
             * Lower-case letters, digits and '-', 1-63 characters, starting and ending with a letter or digit.
             */
            partner: string
          }
          /**
           * Publish an event (through the outbox).
           */
          emit?: {
            /**
             * A dotted event type, e.g. order.received (its version is declared in the taxonomy).
             */
            event: string
          }
        })[]
    ]
    retry?: {
      /**
       * Attempts before dead-lettering, first one included.
       */
      maxAttempts?: number
      /**
       * A duration: a whole number followed by ms, s, m, h, d or w (e.g. 30s, 24h, 28d).
       */
      initialDelay?: string
      /**
       * A duration: a whole number followed by ms, s, m, h, d or w (e.g. 30s, 24h, 28d).
       */
      maxDelay?: string
      multiplier?: number
      /**
       * Randomise each delay (full jitter).
       */
      jitter?: boolean
    }
    errors?: {
      transient?: ("network" | "timeout" | "http-5xx" | "http-429" | "http-409")[]
      permanent?: ("validation" | "mapping" | "http-4xx" | "edi-syntax")[]
      policy?: ("lifecycle" | "waiting" | "credit-hold")[]
    }
    /**
     * Where permanent failures go.
     */
    deadLetter?: {
      enabled: boolean
      /**
       * A duration: a whole number followed by ms, s, m, h, d or w (e.g. 30s, 24h, 28d).
       */
      retention?: string
    }
    /**
     * Events that must have happened for the business key before the flow runs.
     *
     * Items: A dotted event type, e.g. order.received (its version is declared in the taxonomy).
     */
    requires?: string[]
  }
}

export interface SLODocument {
  apiVersion: "tradelane/v1"
  kind: "SLO"
  metadata: {
    /**
     * Lower-case letters, digits and '-', 1-63 characters, starting and ending with a letter or digit.
     */
    name: string
    /**
     * Code owners; they review changes to this document.
     *
     * Items: A GitHub team '@org/team', a user '@user', or an e-mail address.
     */
    owners?: string[]
    labels?: {
      [k: string]: string | undefined
    }
    description?: string
  }
  spec: {
    [k: string]: unknown | undefined
  } & {
    /**
     * Lower-case letters, digits and '-', 1-63 characters, starting and ending with a letter or digit.
     */
    flow: string
    description?: string
    /**
     * Rolling window, e.g. 28d or 30d.
     */
    window: string
    success?: {
      /**
       * Percent of runs that succeed, e.g. 99.9.
       */
      objective: number
    }
    latency?: {
      /**
       * A run is fast enough when it ends within this.
       */
      threshold: string
      /**
       * Percent of runs within the threshold, e.g. 99.
       */
      objective: number
    }
    alerting?: {
      page?: string
      ticket?: string
    }
  }
}

export interface ReconciliationDocument {
  apiVersion: "tradelane/v1"
  kind: "Reconciliation"
  metadata: {
    /**
     * Lower-case letters, digits and '-', 1-63 characters, starting and ending with a letter or digit.
     */
    name: string
    /**
     * Code owners; they review changes to this document.
     *
     * Items: A GitHub team '@org/team', a user '@user', or an e-mail address.
     */
    owners?: string[]
    labels?: {
      [k: string]: string | undefined
    }
    description?: string
  }
  spec: {
    description?: string
    subject?: "inventory" | "acknowledgments" | "order-status" | "shipments"
    schedule: {
      /**
       * A five-field cron expression (minute hour day-of-month month day-of-week), UTC.
       */
      cron: string
    }
    left: {
      /**
       * Lower-case letters, digits and '-', 1-63 characters, starting and ending with a letter or digit.
       */
      partner?: string
      operation?: string
      /**
       * One of tradelane's own ledgers.
       */
      ledger?: "edi-sent" | "edi-acks" | "orders" | "outbox"
      /**
       * Field that pairs records across the two sides.
       */
      key?: string
      /**
       * Field compared.
       */
      value?: string
    }
    right: {
      /**
       * Lower-case letters, digits and '-', 1-63 characters, starting and ending with a letter or digit.
       */
      partner?: string
      operation?: string
      /**
       * One of tradelane's own ledgers.
       */
      ledger?: "edi-sent" | "edi-acks" | "orders" | "outbox"
      /**
       * Field that pairs records across the two sides.
       */
      key?: string
      /**
       * Field compared.
       */
      value?: string
    }
    tolerance?: {
      absolute?: number
      percent?: number
      /**
       * Ignore differences younger than this (in-flight work).
       */
      age?: string
    }
    onDivergence: {
      action: "alert" | "exception" | "resync"
      /**
       * Flow that resyncs (action: resync).
       */
      flow?: string
      severity?: "info" | "warning" | "critical"
    }
  }
}

export interface PolicyDocument {
  apiVersion: "tradelane/v1"
  kind: "Policy"
  metadata: {
    /**
     * Lower-case letters, digits and '-', 1-63 characters, starting and ending with a letter or digit.
     */
    name: string
    /**
     * Code owners; they review changes to this document.
     *
     * Items: A GitHub team '@org/team', a user '@user', or an e-mail address.
     */
    owners?: string[]
    labels?: {
      [k: string]: string | undefined
    }
    description?: string
  }
  spec: {
    description?: string
    /**
     * Lowest severity that fails validate/plan.
     */
    failOn?: "error" | "warning" | "info"
    /**
     * @minItems 1
     */
    rules: [
      {
        rule:
          | "flow-has-owner"
          | "partner-has-owner"
          | "flow-has-slo"
          | "critical-flow-dead-letter"
          | "breaking-change-requires-major"
          | "partner-owners-review"
        severity: "error" | "warning" | "info"
        /**
         * critical-flow-dead-letter: which criticalities need a dead letter.
         */
        criticality?: ("low" | "medium" | "high" | "critical")[]
        /**
         * A PR label that waives this rule for the PR.
         */
        waiverLabel?: string
        description?: string
      },
      ...{
        rule:
          | "flow-has-owner"
          | "partner-has-owner"
          | "flow-has-slo"
          | "critical-flow-dead-letter"
          | "breaking-change-requires-major"
          | "partner-owners-review"
        severity: "error" | "warning" | "info"
        /**
         * critical-flow-dead-letter: which criticalities need a dead letter.
         */
        criticality?: ("low" | "medium" | "high" | "critical")[]
        /**
         * A PR label that waives this rule for the PR.
         */
        waiverLabel?: string
        description?: string
      }[]
    ]
  }
}
