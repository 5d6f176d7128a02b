"use strict";
var PaginationGuard = (() => {
  var __defProp = Object.defineProperty;
  var __getOwnPropDesc = Object.getOwnPropertyDescriptor;
  var __getOwnPropNames = Object.getOwnPropertyNames;
  var __hasOwnProp = Object.prototype.hasOwnProperty;
  var __typeError = (msg) => {
    throw TypeError(msg);
  };
  var __export = (target, all) => {
    for (var name in all)
      __defProp(target, name, { get: all[name], enumerable: true });
  };
  var __copyProps = (to, from, except, desc) => {
    if (from && typeof from === "object" || typeof from === "function") {
      for (let key of __getOwnPropNames(from))
        if (!__hasOwnProp.call(to, key) && key !== except)
          __defProp(to, key, { get: () => from[key], enumerable: !(desc = __getOwnPropDesc(from, key)) || desc.enumerable });
    }
    return to;
  };
  var __toCommonJS = (mod) => __copyProps(__defProp({}, "__esModule", { value: true }), mod);
  var __accessCheck = (obj, member, msg) => member.has(obj) || __typeError("Cannot " + msg);
  var __privateGet = (obj, member, getter) => (__accessCheck(obj, member, "read from private field"), getter ? getter.call(obj) : member.get(obj));
  var __privateAdd = (obj, member, value) => member.has(obj) ? __typeError("Cannot add the same private member more than once") : member instanceof WeakSet ? member.add(obj) : member.set(obj, value);
  var __privateSet = (obj, member, value, setter) => (__accessCheck(obj, member, "write to private field"), setter ? setter.call(obj, value) : member.set(obj, value), value);
  var __privateMethod = (obj, member, method) => (__accessCheck(obj, member, "access private method"), method);

  // functions/handlers/embeddedFunction.ts
  var embeddedFunction_exports = {};
  __export(embeddedFunction_exports, {
    abandonFunction: () => abandonFunction,
    enrichStep: () => enrichStep,
    resumeFunctionJson: () => resumeFunctionJson,
    startFunctionJson: () => startFunctionJson,
    step: () => step
  });

  // node_modules/zod/v3/external.js
  var external_exports = {};
  __export(external_exports, {
    BRAND: () => BRAND,
    DIRTY: () => DIRTY,
    EMPTY_PATH: () => EMPTY_PATH,
    INVALID: () => INVALID,
    NEVER: () => NEVER,
    OK: () => OK,
    ParseStatus: () => ParseStatus,
    Schema: () => ZodType,
    ZodAny: () => ZodAny,
    ZodArray: () => ZodArray,
    ZodBigInt: () => ZodBigInt,
    ZodBoolean: () => ZodBoolean,
    ZodBranded: () => ZodBranded,
    ZodCatch: () => ZodCatch,
    ZodDate: () => ZodDate,
    ZodDefault: () => ZodDefault,
    ZodDiscriminatedUnion: () => ZodDiscriminatedUnion,
    ZodEffects: () => ZodEffects,
    ZodEnum: () => ZodEnum,
    ZodError: () => ZodError,
    ZodFirstPartyTypeKind: () => ZodFirstPartyTypeKind,
    ZodFunction: () => ZodFunction,
    ZodIntersection: () => ZodIntersection,
    ZodIssueCode: () => ZodIssueCode,
    ZodLazy: () => ZodLazy,
    ZodLiteral: () => ZodLiteral,
    ZodMap: () => ZodMap,
    ZodNaN: () => ZodNaN,
    ZodNativeEnum: () => ZodNativeEnum,
    ZodNever: () => ZodNever,
    ZodNull: () => ZodNull,
    ZodNullable: () => ZodNullable,
    ZodNumber: () => ZodNumber,
    ZodObject: () => ZodObject,
    ZodOptional: () => ZodOptional,
    ZodParsedType: () => ZodParsedType,
    ZodPipeline: () => ZodPipeline,
    ZodPromise: () => ZodPromise,
    ZodReadonly: () => ZodReadonly,
    ZodRecord: () => ZodRecord,
    ZodSchema: () => ZodType,
    ZodSet: () => ZodSet,
    ZodString: () => ZodString,
    ZodSymbol: () => ZodSymbol,
    ZodTransformer: () => ZodEffects,
    ZodTuple: () => ZodTuple,
    ZodType: () => ZodType,
    ZodUndefined: () => ZodUndefined,
    ZodUnion: () => ZodUnion,
    ZodUnknown: () => ZodUnknown,
    ZodVoid: () => ZodVoid,
    addIssueToContext: () => addIssueToContext,
    any: () => anyType,
    array: () => arrayType,
    bigint: () => bigIntType,
    boolean: () => booleanType,
    coerce: () => coerce,
    custom: () => custom,
    date: () => dateType,
    datetimeRegex: () => datetimeRegex,
    defaultErrorMap: () => en_default,
    discriminatedUnion: () => discriminatedUnionType,
    effect: () => effectsType,
    enum: () => enumType,
    function: () => functionType,
    getErrorMap: () => getErrorMap,
    getParsedType: () => getParsedType,
    instanceof: () => instanceOfType,
    intersection: () => intersectionType,
    isAborted: () => isAborted,
    isAsync: () => isAsync,
    isDirty: () => isDirty,
    isValid: () => isValid,
    late: () => late,
    lazy: () => lazyType,
    literal: () => literalType,
    makeIssue: () => makeIssue,
    map: () => mapType,
    nan: () => nanType,
    nativeEnum: () => nativeEnumType,
    never: () => neverType,
    null: () => nullType,
    nullable: () => nullableType,
    number: () => numberType,
    object: () => objectType,
    objectUtil: () => objectUtil,
    oboolean: () => oboolean,
    onumber: () => onumber,
    optional: () => optionalType,
    ostring: () => ostring,
    pipeline: () => pipelineType,
    preprocess: () => preprocessType,
    promise: () => promiseType,
    quotelessJson: () => quotelessJson,
    record: () => recordType,
    set: () => setType,
    setErrorMap: () => setErrorMap,
    strictObject: () => strictObjectType,
    string: () => stringType,
    symbol: () => symbolType,
    transformer: () => effectsType,
    tuple: () => tupleType,
    undefined: () => undefinedType,
    union: () => unionType,
    unknown: () => unknownType,
    util: () => util,
    void: () => voidType
  });

  // node_modules/zod/v3/helpers/util.js
  var util;
  (function(util2) {
    util2.assertEqual = (_) => {
    };
    function assertIs(_arg) {
    }
    util2.assertIs = assertIs;
    function assertNever2(_x) {
      throw new Error();
    }
    util2.assertNever = assertNever2;
    util2.arrayToEnum = (items) => {
      const obj = {};
      for (const item of items) {
        obj[item] = item;
      }
      return obj;
    };
    util2.getValidEnumValues = (obj) => {
      const validKeys = util2.objectKeys(obj).filter((k) => typeof obj[obj[k]] !== "number");
      const filtered = {};
      for (const k of validKeys) {
        filtered[k] = obj[k];
      }
      return util2.objectValues(filtered);
    };
    util2.objectValues = (obj) => {
      return util2.objectKeys(obj).map(function(e) {
        return obj[e];
      });
    };
    util2.objectKeys = typeof Object.keys === "function" ? (obj) => Object.keys(obj) : (object) => {
      const keys = [];
      for (const key in object) {
        if (Object.prototype.hasOwnProperty.call(object, key)) {
          keys.push(key);
        }
      }
      return keys;
    };
    util2.find = (arr, checker) => {
      for (const item of arr) {
        if (checker(item))
          return item;
      }
      return void 0;
    };
    util2.isInteger = typeof Number.isInteger === "function" ? (val) => Number.isInteger(val) : (val) => typeof val === "number" && Number.isFinite(val) && Math.floor(val) === val;
    function joinValues(array, separator = " | ") {
      return array.map((val) => typeof val === "string" ? `'${val}'` : val).join(separator);
    }
    util2.joinValues = joinValues;
    util2.jsonStringifyReplacer = (_, value) => {
      if (typeof value === "bigint") {
        return value.toString();
      }
      return value;
    };
  })(util || (util = {}));
  var objectUtil;
  (function(objectUtil2) {
    objectUtil2.mergeShapes = (first, second) => {
      return {
        ...first,
        ...second
        // second overwrites first
      };
    };
  })(objectUtil || (objectUtil = {}));
  var ZodParsedType = util.arrayToEnum([
    "string",
    "nan",
    "number",
    "integer",
    "float",
    "boolean",
    "date",
    "bigint",
    "symbol",
    "function",
    "undefined",
    "null",
    "array",
    "object",
    "unknown",
    "promise",
    "void",
    "never",
    "map",
    "set"
  ]);
  var getParsedType = (data) => {
    const t = typeof data;
    switch (t) {
      case "undefined":
        return ZodParsedType.undefined;
      case "string":
        return ZodParsedType.string;
      case "number":
        return Number.isNaN(data) ? ZodParsedType.nan : ZodParsedType.number;
      case "boolean":
        return ZodParsedType.boolean;
      case "function":
        return ZodParsedType.function;
      case "bigint":
        return ZodParsedType.bigint;
      case "symbol":
        return ZodParsedType.symbol;
      case "object":
        if (Array.isArray(data)) {
          return ZodParsedType.array;
        }
        if (data === null) {
          return ZodParsedType.null;
        }
        if (data.then && typeof data.then === "function" && data.catch && typeof data.catch === "function") {
          return ZodParsedType.promise;
        }
        if (typeof Map !== "undefined" && data instanceof Map) {
          return ZodParsedType.map;
        }
        if (typeof Set !== "undefined" && data instanceof Set) {
          return ZodParsedType.set;
        }
        if (typeof Date !== "undefined" && data instanceof Date) {
          return ZodParsedType.date;
        }
        return ZodParsedType.object;
      default:
        return ZodParsedType.unknown;
    }
  };

  // node_modules/zod/v3/ZodError.js
  var ZodIssueCode = util.arrayToEnum([
    "invalid_type",
    "invalid_literal",
    "custom",
    "invalid_union",
    "invalid_union_discriminator",
    "invalid_enum_value",
    "unrecognized_keys",
    "invalid_arguments",
    "invalid_return_type",
    "invalid_date",
    "invalid_string",
    "too_small",
    "too_big",
    "invalid_intersection_types",
    "not_multiple_of",
    "not_finite"
  ]);
  var quotelessJson = (obj) => {
    const json = JSON.stringify(obj, null, 2);
    return json.replace(/"([^"]+)":/g, "$1:");
  };
  var ZodError = class _ZodError extends Error {
    get errors() {
      return this.issues;
    }
    constructor(issues) {
      super();
      this.issues = [];
      this.addIssue = (sub) => {
        this.issues = [...this.issues, sub];
      };
      this.addIssues = (subs = []) => {
        this.issues = [...this.issues, ...subs];
      };
      const actualProto = new.target.prototype;
      if (Object.setPrototypeOf) {
        Object.setPrototypeOf(this, actualProto);
      } else {
        this.__proto__ = actualProto;
      }
      this.name = "ZodError";
      this.issues = issues;
    }
    format(_mapper) {
      const mapper = _mapper || function(issue) {
        return issue.message;
      };
      const fieldErrors = { _errors: [] };
      const processError = (error) => {
        for (const issue of error.issues) {
          if (issue.code === "invalid_union") {
            issue.unionErrors.map(processError);
          } else if (issue.code === "invalid_return_type") {
            processError(issue.returnTypeError);
          } else if (issue.code === "invalid_arguments") {
            processError(issue.argumentsError);
          } else if (issue.path.length === 0) {
            fieldErrors._errors.push(mapper(issue));
          } else {
            let curr = fieldErrors;
            let i = 0;
            while (i < issue.path.length) {
              const el = issue.path[i];
              const terminal = i === issue.path.length - 1;
              if (!terminal) {
                curr[el] = curr[el] || { _errors: [] };
              } else {
                curr[el] = curr[el] || { _errors: [] };
                curr[el]._errors.push(mapper(issue));
              }
              curr = curr[el];
              i++;
            }
          }
        }
      };
      processError(this);
      return fieldErrors;
    }
    static assert(value) {
      if (!(value instanceof _ZodError)) {
        throw new Error(`Not a ZodError: ${value}`);
      }
    }
    toString() {
      return this.message;
    }
    get message() {
      return JSON.stringify(this.issues, util.jsonStringifyReplacer, 2);
    }
    get isEmpty() {
      return this.issues.length === 0;
    }
    flatten(mapper = (issue) => issue.message) {
      const fieldErrors = {};
      const formErrors = [];
      for (const sub of this.issues) {
        if (sub.path.length > 0) {
          const firstEl = sub.path[0];
          fieldErrors[firstEl] = fieldErrors[firstEl] || [];
          fieldErrors[firstEl].push(mapper(sub));
        } else {
          formErrors.push(mapper(sub));
        }
      }
      return { formErrors, fieldErrors };
    }
    get formErrors() {
      return this.flatten();
    }
  };
  ZodError.create = (issues) => {
    const error = new ZodError(issues);
    return error;
  };

  // node_modules/zod/v3/locales/en.js
  var errorMap = (issue, _ctx) => {
    let message;
    switch (issue.code) {
      case ZodIssueCode.invalid_type:
        if (issue.received === ZodParsedType.undefined) {
          message = "Required";
        } else {
          message = `Expected ${issue.expected}, received ${issue.received}`;
        }
        break;
      case ZodIssueCode.invalid_literal:
        message = `Invalid literal value, expected ${JSON.stringify(issue.expected, util.jsonStringifyReplacer)}`;
        break;
      case ZodIssueCode.unrecognized_keys:
        message = `Unrecognized key(s) in object: ${util.joinValues(issue.keys, ", ")}`;
        break;
      case ZodIssueCode.invalid_union:
        message = `Invalid input`;
        break;
      case ZodIssueCode.invalid_union_discriminator:
        message = `Invalid discriminator value. Expected ${util.joinValues(issue.options)}`;
        break;
      case ZodIssueCode.invalid_enum_value:
        message = `Invalid enum value. Expected ${util.joinValues(issue.options)}, received '${issue.received}'`;
        break;
      case ZodIssueCode.invalid_arguments:
        message = `Invalid function arguments`;
        break;
      case ZodIssueCode.invalid_return_type:
        message = `Invalid function return type`;
        break;
      case ZodIssueCode.invalid_date:
        message = `Invalid date`;
        break;
      case ZodIssueCode.invalid_string:
        if (typeof issue.validation === "object") {
          if ("includes" in issue.validation) {
            message = `Invalid input: must include "${issue.validation.includes}"`;
            if (typeof issue.validation.position === "number") {
              message = `${message} at one or more positions greater than or equal to ${issue.validation.position}`;
            }
          } else if ("startsWith" in issue.validation) {
            message = `Invalid input: must start with "${issue.validation.startsWith}"`;
          } else if ("endsWith" in issue.validation) {
            message = `Invalid input: must end with "${issue.validation.endsWith}"`;
          } else {
            util.assertNever(issue.validation);
          }
        } else if (issue.validation !== "regex") {
          message = `Invalid ${issue.validation}`;
        } else {
          message = "Invalid";
        }
        break;
      case ZodIssueCode.too_small:
        if (issue.type === "array")
          message = `Array must contain ${issue.exact ? "exactly" : issue.inclusive ? `at least` : `more than`} ${issue.minimum} element(s)`;
        else if (issue.type === "string")
          message = `String must contain ${issue.exact ? "exactly" : issue.inclusive ? `at least` : `over`} ${issue.minimum} character(s)`;
        else if (issue.type === "number")
          message = `Number must be ${issue.exact ? `exactly equal to ` : issue.inclusive ? `greater than or equal to ` : `greater than `}${issue.minimum}`;
        else if (issue.type === "bigint")
          message = `Number must be ${issue.exact ? `exactly equal to ` : issue.inclusive ? `greater than or equal to ` : `greater than `}${issue.minimum}`;
        else if (issue.type === "date")
          message = `Date must be ${issue.exact ? `exactly equal to ` : issue.inclusive ? `greater than or equal to ` : `greater than `}${new Date(Number(issue.minimum))}`;
        else
          message = "Invalid input";
        break;
      case ZodIssueCode.too_big:
        if (issue.type === "array")
          message = `Array must contain ${issue.exact ? `exactly` : issue.inclusive ? `at most` : `less than`} ${issue.maximum} element(s)`;
        else if (issue.type === "string")
          message = `String must contain ${issue.exact ? `exactly` : issue.inclusive ? `at most` : `under`} ${issue.maximum} character(s)`;
        else if (issue.type === "number")
          message = `Number must be ${issue.exact ? `exactly` : issue.inclusive ? `less than or equal to` : `less than`} ${issue.maximum}`;
        else if (issue.type === "bigint")
          message = `BigInt must be ${issue.exact ? `exactly` : issue.inclusive ? `less than or equal to` : `less than`} ${issue.maximum}`;
        else if (issue.type === "date")
          message = `Date must be ${issue.exact ? `exactly` : issue.inclusive ? `smaller than or equal to` : `smaller than`} ${new Date(Number(issue.maximum))}`;
        else
          message = "Invalid input";
        break;
      case ZodIssueCode.custom:
        message = `Invalid input`;
        break;
      case ZodIssueCode.invalid_intersection_types:
        message = `Intersection results could not be merged`;
        break;
      case ZodIssueCode.not_multiple_of:
        message = `Number must be a multiple of ${issue.multipleOf}`;
        break;
      case ZodIssueCode.not_finite:
        message = "Number must be finite";
        break;
      default:
        message = _ctx.defaultError;
        util.assertNever(issue);
    }
    return { message };
  };
  var en_default = errorMap;

  // node_modules/zod/v3/errors.js
  var overrideErrorMap = en_default;
  function setErrorMap(map) {
    overrideErrorMap = map;
  }
  function getErrorMap() {
    return overrideErrorMap;
  }

  // node_modules/zod/v3/helpers/parseUtil.js
  var makeIssue = (params) => {
    const { data, path, errorMaps, issueData } = params;
    const fullPath = [...path, ...issueData.path || []];
    const fullIssue = {
      ...issueData,
      path: fullPath
    };
    if (issueData.message !== void 0) {
      return {
        ...issueData,
        path: fullPath,
        message: issueData.message
      };
    }
    let errorMessage = "";
    const maps = errorMaps.filter((m) => !!m).slice().reverse();
    for (const map of maps) {
      errorMessage = map(fullIssue, { data, defaultError: errorMessage }).message;
    }
    return {
      ...issueData,
      path: fullPath,
      message: errorMessage
    };
  };
  var EMPTY_PATH = [];
  function addIssueToContext(ctx, issueData) {
    const overrideMap = getErrorMap();
    const issue = makeIssue({
      issueData,
      data: ctx.data,
      path: ctx.path,
      errorMaps: [
        ctx.common.contextualErrorMap,
        // contextual error map is first priority
        ctx.schemaErrorMap,
        // then schema-bound map if available
        overrideMap,
        // then global override map
        overrideMap === en_default ? void 0 : en_default
        // then global default map
      ].filter((x) => !!x)
    });
    ctx.common.issues.push(issue);
  }
  var ParseStatus = class _ParseStatus {
    constructor() {
      this.value = "valid";
    }
    dirty() {
      if (this.value === "valid")
        this.value = "dirty";
    }
    abort() {
      if (this.value !== "aborted")
        this.value = "aborted";
    }
    static mergeArray(status, results) {
      const arrayValue = [];
      for (const s of results) {
        if (s.status === "aborted")
          return INVALID;
        if (s.status === "dirty")
          status.dirty();
        arrayValue.push(s.value);
      }
      return { status: status.value, value: arrayValue };
    }
    static async mergeObjectAsync(status, pairs) {
      const syncPairs = [];
      for (const pair of pairs) {
        const key = await pair.key;
        const value = await pair.value;
        syncPairs.push({
          key,
          value
        });
      }
      return _ParseStatus.mergeObjectSync(status, syncPairs);
    }
    static mergeObjectSync(status, pairs) {
      const finalObject = {};
      for (const pair of pairs) {
        const { key, value } = pair;
        if (key.status === "aborted")
          return INVALID;
        if (value.status === "aborted")
          return INVALID;
        if (key.status === "dirty")
          status.dirty();
        if (value.status === "dirty")
          status.dirty();
        if (key.value !== "__proto__" && (typeof value.value !== "undefined" || pair.alwaysSet)) {
          finalObject[key.value] = value.value;
        }
      }
      return { status: status.value, value: finalObject };
    }
  };
  var INVALID = Object.freeze({
    status: "aborted"
  });
  var DIRTY = (value) => ({ status: "dirty", value });
  var OK = (value) => ({ status: "valid", value });
  var isAborted = (x) => x.status === "aborted";
  var isDirty = (x) => x.status === "dirty";
  var isValid = (x) => x.status === "valid";
  var isAsync = (x) => typeof Promise !== "undefined" && x instanceof Promise;

  // node_modules/zod/v3/helpers/errorUtil.js
  var errorUtil;
  (function(errorUtil2) {
    errorUtil2.errToObj = (message) => typeof message === "string" ? { message } : message || {};
    errorUtil2.toString = (message) => typeof message === "string" ? message : message?.message;
  })(errorUtil || (errorUtil = {}));

  // node_modules/zod/v3/types.js
  var ParseInputLazyPath = class {
    constructor(parent, value, path, key) {
      this._cachedPath = [];
      this.parent = parent;
      this.data = value;
      this._path = path;
      this._key = key;
    }
    get path() {
      if (!this._cachedPath.length) {
        if (Array.isArray(this._key)) {
          this._cachedPath.push(...this._path, ...this._key);
        } else {
          this._cachedPath.push(...this._path, this._key);
        }
      }
      return this._cachedPath;
    }
  };
  var handleResult = (ctx, result) => {
    if (isValid(result)) {
      return { success: true, data: result.value };
    } else {
      if (!ctx.common.issues.length) {
        throw new Error("Validation failed but no issues detected.");
      }
      return {
        success: false,
        get error() {
          if (this._error)
            return this._error;
          const error = new ZodError(ctx.common.issues);
          this._error = error;
          return this._error;
        }
      };
    }
  };
  function processCreateParams(params) {
    if (!params)
      return {};
    const { errorMap: errorMap2, invalid_type_error, required_error, description } = params;
    if (errorMap2 && (invalid_type_error || required_error)) {
      throw new Error(`Can't use "invalid_type_error" or "required_error" in conjunction with custom error map.`);
    }
    if (errorMap2)
      return { errorMap: errorMap2, description };
    const customMap = (iss, ctx) => {
      const { message } = params;
      if (iss.code === "invalid_enum_value") {
        return { message: message ?? ctx.defaultError };
      }
      if (typeof ctx.data === "undefined") {
        return { message: message ?? required_error ?? ctx.defaultError };
      }
      if (iss.code !== "invalid_type")
        return { message: ctx.defaultError };
      return { message: message ?? invalid_type_error ?? ctx.defaultError };
    };
    return { errorMap: customMap, description };
  }
  var ZodType = class {
    get description() {
      return this._def.description;
    }
    _getType(input) {
      return getParsedType(input.data);
    }
    _getOrReturnCtx(input, ctx) {
      return ctx || {
        common: input.parent.common,
        data: input.data,
        parsedType: getParsedType(input.data),
        schemaErrorMap: this._def.errorMap,
        path: input.path,
        parent: input.parent
      };
    }
    _processInputParams(input) {
      return {
        status: new ParseStatus(),
        ctx: {
          common: input.parent.common,
          data: input.data,
          parsedType: getParsedType(input.data),
          schemaErrorMap: this._def.errorMap,
          path: input.path,
          parent: input.parent
        }
      };
    }
    _parseSync(input) {
      const result = this._parse(input);
      if (isAsync(result)) {
        throw new Error("Synchronous parse encountered promise.");
      }
      return result;
    }
    _parseAsync(input) {
      const result = this._parse(input);
      return Promise.resolve(result);
    }
    parse(data, params) {
      const result = this.safeParse(data, params);
      if (result.success)
        return result.data;
      throw result.error;
    }
    safeParse(data, params) {
      const ctx = {
        common: {
          issues: [],
          async: params?.async ?? false,
          contextualErrorMap: params?.errorMap
        },
        path: params?.path || [],
        schemaErrorMap: this._def.errorMap,
        parent: null,
        data,
        parsedType: getParsedType(data)
      };
      const result = this._parseSync({ data, path: ctx.path, parent: ctx });
      return handleResult(ctx, result);
    }
    "~validate"(data) {
      const ctx = {
        common: {
          issues: [],
          async: !!this["~standard"].async
        },
        path: [],
        schemaErrorMap: this._def.errorMap,
        parent: null,
        data,
        parsedType: getParsedType(data)
      };
      if (!this["~standard"].async) {
        try {
          const result = this._parseSync({ data, path: [], parent: ctx });
          return isValid(result) ? {
            value: result.value
          } : {
            issues: ctx.common.issues
          };
        } catch (err) {
          if (err?.message?.toLowerCase()?.includes("encountered")) {
            this["~standard"].async = true;
          }
          ctx.common = {
            issues: [],
            async: true
          };
        }
      }
      return this._parseAsync({ data, path: [], parent: ctx }).then((result) => isValid(result) ? {
        value: result.value
      } : {
        issues: ctx.common.issues
      });
    }
    async parseAsync(data, params) {
      const result = await this.safeParseAsync(data, params);
      if (result.success)
        return result.data;
      throw result.error;
    }
    async safeParseAsync(data, params) {
      const ctx = {
        common: {
          issues: [],
          contextualErrorMap: params?.errorMap,
          async: true
        },
        path: params?.path || [],
        schemaErrorMap: this._def.errorMap,
        parent: null,
        data,
        parsedType: getParsedType(data)
      };
      const maybeAsyncResult = this._parse({ data, path: ctx.path, parent: ctx });
      const result = await (isAsync(maybeAsyncResult) ? maybeAsyncResult : Promise.resolve(maybeAsyncResult));
      return handleResult(ctx, result);
    }
    refine(check, message) {
      const getIssueProperties = (val) => {
        if (typeof message === "string" || typeof message === "undefined") {
          return { message };
        } else if (typeof message === "function") {
          return message(val);
        } else {
          return message;
        }
      };
      return this._refinement((val, ctx) => {
        const result = check(val);
        const setError = () => ctx.addIssue({
          code: ZodIssueCode.custom,
          ...getIssueProperties(val)
        });
        if (typeof Promise !== "undefined" && result instanceof Promise) {
          return result.then((data) => {
            if (!data) {
              setError();
              return false;
            } else {
              return true;
            }
          });
        }
        if (!result) {
          setError();
          return false;
        } else {
          return true;
        }
      });
    }
    refinement(check, refinementData) {
      return this._refinement((val, ctx) => {
        if (!check(val)) {
          ctx.addIssue(typeof refinementData === "function" ? refinementData(val, ctx) : refinementData);
          return false;
        } else {
          return true;
        }
      });
    }
    _refinement(refinement) {
      return new ZodEffects({
        schema: this,
        typeName: ZodFirstPartyTypeKind.ZodEffects,
        effect: { type: "refinement", refinement }
      });
    }
    superRefine(refinement) {
      return this._refinement(refinement);
    }
    constructor(def) {
      this.spa = this.safeParseAsync;
      this._def = def;
      this.parse = this.parse.bind(this);
      this.safeParse = this.safeParse.bind(this);
      this.parseAsync = this.parseAsync.bind(this);
      this.safeParseAsync = this.safeParseAsync.bind(this);
      this.spa = this.spa.bind(this);
      this.refine = this.refine.bind(this);
      this.refinement = this.refinement.bind(this);
      this.superRefine = this.superRefine.bind(this);
      this.optional = this.optional.bind(this);
      this.nullable = this.nullable.bind(this);
      this.nullish = this.nullish.bind(this);
      this.array = this.array.bind(this);
      this.promise = this.promise.bind(this);
      this.or = this.or.bind(this);
      this.and = this.and.bind(this);
      this.transform = this.transform.bind(this);
      this.brand = this.brand.bind(this);
      this.default = this.default.bind(this);
      this.catch = this.catch.bind(this);
      this.describe = this.describe.bind(this);
      this.pipe = this.pipe.bind(this);
      this.readonly = this.readonly.bind(this);
      this.isNullable = this.isNullable.bind(this);
      this.isOptional = this.isOptional.bind(this);
      this["~standard"] = {
        version: 1,
        vendor: "zod",
        validate: (data) => this["~validate"](data)
      };
    }
    optional() {
      return ZodOptional.create(this, this._def);
    }
    nullable() {
      return ZodNullable.create(this, this._def);
    }
    nullish() {
      return this.nullable().optional();
    }
    array() {
      return ZodArray.create(this);
    }
    promise() {
      return ZodPromise.create(this, this._def);
    }
    or(option) {
      return ZodUnion.create([this, option], this._def);
    }
    and(incoming) {
      return ZodIntersection.create(this, incoming, this._def);
    }
    transform(transform) {
      return new ZodEffects({
        ...processCreateParams(this._def),
        schema: this,
        typeName: ZodFirstPartyTypeKind.ZodEffects,
        effect: { type: "transform", transform }
      });
    }
    default(def) {
      const defaultValueFunc = typeof def === "function" ? def : () => def;
      return new ZodDefault({
        ...processCreateParams(this._def),
        innerType: this,
        defaultValue: defaultValueFunc,
        typeName: ZodFirstPartyTypeKind.ZodDefault
      });
    }
    brand() {
      return new ZodBranded({
        typeName: ZodFirstPartyTypeKind.ZodBranded,
        type: this,
        ...processCreateParams(this._def)
      });
    }
    catch(def) {
      const catchValueFunc = typeof def === "function" ? def : () => def;
      return new ZodCatch({
        ...processCreateParams(this._def),
        innerType: this,
        catchValue: catchValueFunc,
        typeName: ZodFirstPartyTypeKind.ZodCatch
      });
    }
    describe(description) {
      const This = this.constructor;
      return new This({
        ...this._def,
        description
      });
    }
    pipe(target) {
      return ZodPipeline.create(this, target);
    }
    readonly() {
      return ZodReadonly.create(this);
    }
    isOptional() {
      return this.safeParse(void 0).success;
    }
    isNullable() {
      return this.safeParse(null).success;
    }
  };
  var cuidRegex = /^c[^\s-]{8,}$/i;
  var cuid2Regex = /^[0-9a-z]+$/;
  var ulidRegex = /^[0-9A-HJKMNP-TV-Z]{26}$/i;
  var uuidRegex = /^[0-9a-fA-F]{8}\b-[0-9a-fA-F]{4}\b-[0-9a-fA-F]{4}\b-[0-9a-fA-F]{4}\b-[0-9a-fA-F]{12}$/i;
  var nanoidRegex = /^[a-z0-9_-]{21}$/i;
  var jwtRegex = /^[A-Za-z0-9-_]+\.[A-Za-z0-9-_]+\.[A-Za-z0-9-_]*$/;
  var durationRegex = /^[-+]?P(?!$)(?:(?:[-+]?\d+Y)|(?:[-+]?\d+[.,]\d+Y$))?(?:(?:[-+]?\d+M)|(?:[-+]?\d+[.,]\d+M$))?(?:(?:[-+]?\d+W)|(?:[-+]?\d+[.,]\d+W$))?(?:(?:[-+]?\d+D)|(?:[-+]?\d+[.,]\d+D$))?(?:T(?=[\d+-])(?:(?:[-+]?\d+H)|(?:[-+]?\d+[.,]\d+H$))?(?:(?:[-+]?\d+M)|(?:[-+]?\d+[.,]\d+M$))?(?:[-+]?\d+(?:[.,]\d+)?S)?)??$/;
  var emailRegex = /^(?!\.)(?!.*\.\.)([A-Z0-9_'+\-\.]*)[A-Z0-9_+-]@([A-Z0-9][A-Z0-9\-]*\.)+[A-Z]{2,}$/i;
  var _emojiRegex = `^(\\p{Extended_Pictographic}|\\p{Emoji_Component})+$`;
  var emojiRegex;
  var ipv4Regex = /^(?:(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])\.){3}(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])$/;
  var ipv4CidrRegex = /^(?:(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])\.){3}(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])\/(3[0-2]|[12]?[0-9])$/;
  var ipv6Regex = /^(([0-9a-fA-F]{1,4}:){7,7}[0-9a-fA-F]{1,4}|([0-9a-fA-F]{1,4}:){1,7}:|([0-9a-fA-F]{1,4}:){1,6}:[0-9a-fA-F]{1,4}|([0-9a-fA-F]{1,4}:){1,5}(:[0-9a-fA-F]{1,4}){1,2}|([0-9a-fA-F]{1,4}:){1,4}(:[0-9a-fA-F]{1,4}){1,3}|([0-9a-fA-F]{1,4}:){1,3}(:[0-9a-fA-F]{1,4}){1,4}|([0-9a-fA-F]{1,4}:){1,2}(:[0-9a-fA-F]{1,4}){1,5}|[0-9a-fA-F]{1,4}:((:[0-9a-fA-F]{1,4}){1,6})|:((:[0-9a-fA-F]{1,4}){1,7}|:)|fe80:(:[0-9a-fA-F]{0,4}){0,4}%[0-9a-zA-Z]{1,}|::(ffff(:0{1,4}){0,1}:){0,1}((25[0-5]|(2[0-4]|1{0,1}[0-9]){0,1}[0-9])\.){3,3}(25[0-5]|(2[0-4]|1{0,1}[0-9]){0,1}[0-9])|([0-9a-fA-F]{1,4}:){1,4}:((25[0-5]|(2[0-4]|1{0,1}[0-9]){0,1}[0-9])\.){3,3}(25[0-5]|(2[0-4]|1{0,1}[0-9]){0,1}[0-9]))$/;
  var ipv6CidrRegex = /^(([0-9a-fA-F]{1,4}:){7,7}[0-9a-fA-F]{1,4}|([0-9a-fA-F]{1,4}:){1,7}:|([0-9a-fA-F]{1,4}:){1,6}:[0-9a-fA-F]{1,4}|([0-9a-fA-F]{1,4}:){1,5}(:[0-9a-fA-F]{1,4}){1,2}|([0-9a-fA-F]{1,4}:){1,4}(:[0-9a-fA-F]{1,4}){1,3}|([0-9a-fA-F]{1,4}:){1,3}(:[0-9a-fA-F]{1,4}){1,4}|([0-9a-fA-F]{1,4}:){1,2}(:[0-9a-fA-F]{1,4}){1,5}|[0-9a-fA-F]{1,4}:((:[0-9a-fA-F]{1,4}){1,6})|:((:[0-9a-fA-F]{1,4}){1,7}|:)|fe80:(:[0-9a-fA-F]{0,4}){0,4}%[0-9a-zA-Z]{1,}|::(ffff(:0{1,4}){0,1}:){0,1}((25[0-5]|(2[0-4]|1{0,1}[0-9]){0,1}[0-9])\.){3,3}(25[0-5]|(2[0-4]|1{0,1}[0-9]){0,1}[0-9])|([0-9a-fA-F]{1,4}:){1,4}:((25[0-5]|(2[0-4]|1{0,1}[0-9]){0,1}[0-9])\.){3,3}(25[0-5]|(2[0-4]|1{0,1}[0-9]){0,1}[0-9]))\/(12[0-8]|1[01][0-9]|[1-9]?[0-9])$/;
  var base64Regex = /^([0-9a-zA-Z+/]{4})*(([0-9a-zA-Z+/]{2}==)|([0-9a-zA-Z+/]{3}=))?$/;
  var base64urlRegex = /^([0-9a-zA-Z-_]{4})*(([0-9a-zA-Z-_]{2}(==)?)|([0-9a-zA-Z-_]{3}(=)?))?$/;
  var dateRegexSource = `((\\d\\d[2468][048]|\\d\\d[13579][26]|\\d\\d0[48]|[02468][048]00|[13579][26]00)-02-29|\\d{4}-((0[13578]|1[02])-(0[1-9]|[12]\\d|3[01])|(0[469]|11)-(0[1-9]|[12]\\d|30)|(02)-(0[1-9]|1\\d|2[0-8])))`;
  var dateRegex = new RegExp(`^${dateRegexSource}$`);
  function timeRegexSource(args) {
    let secondsRegexSource = `[0-5]\\d`;
    if (args.precision) {
      secondsRegexSource = `${secondsRegexSource}\\.\\d{${args.precision}}`;
    } else if (args.precision == null) {
      secondsRegexSource = `${secondsRegexSource}(\\.\\d+)?`;
    }
    const secondsQuantifier = args.precision ? "+" : "?";
    return `([01]\\d|2[0-3]):[0-5]\\d(:${secondsRegexSource})${secondsQuantifier}`;
  }
  function timeRegex(args) {
    return new RegExp(`^${timeRegexSource(args)}$`);
  }
  function datetimeRegex(args) {
    let regex = `${dateRegexSource}T${timeRegexSource(args)}`;
    const opts = [];
    opts.push(args.local ? `Z?` : `Z`);
    if (args.offset)
      opts.push(`([+-]\\d{2}:?\\d{2})`);
    regex = `${regex}(${opts.join("|")})`;
    return new RegExp(`^${regex}$`);
  }
  function isValidIP(ip, version) {
    if ((version === "v4" || !version) && ipv4Regex.test(ip)) {
      return true;
    }
    if ((version === "v6" || !version) && ipv6Regex.test(ip)) {
      return true;
    }
    return false;
  }
  function isValidJWT(jwt, alg) {
    if (!jwtRegex.test(jwt))
      return false;
    try {
      const [header2] = jwt.split(".");
      if (!header2)
        return false;
      const base64 = header2.replace(/-/g, "+").replace(/_/g, "/").padEnd(header2.length + (4 - header2.length % 4) % 4, "=");
      const decoded = JSON.parse(atob(base64));
      if (typeof decoded !== "object" || decoded === null)
        return false;
      if ("typ" in decoded && decoded?.typ !== "JWT")
        return false;
      if (!decoded.alg)
        return false;
      if (alg && decoded.alg !== alg)
        return false;
      return true;
    } catch {
      return false;
    }
  }
  function isValidCidr(ip, version) {
    if ((version === "v4" || !version) && ipv4CidrRegex.test(ip)) {
      return true;
    }
    if ((version === "v6" || !version) && ipv6CidrRegex.test(ip)) {
      return true;
    }
    return false;
  }
  var ZodString = class _ZodString extends ZodType {
    _parse(input) {
      if (this._def.coerce) {
        input.data = String(input.data);
      }
      const parsedType = this._getType(input);
      if (parsedType !== ZodParsedType.string) {
        const ctx2 = this._getOrReturnCtx(input);
        addIssueToContext(ctx2, {
          code: ZodIssueCode.invalid_type,
          expected: ZodParsedType.string,
          received: ctx2.parsedType
        });
        return INVALID;
      }
      const status = new ParseStatus();
      let ctx = void 0;
      for (const check of this._def.checks) {
        if (check.kind === "min") {
          if (input.data.length < check.value) {
            ctx = this._getOrReturnCtx(input, ctx);
            addIssueToContext(ctx, {
              code: ZodIssueCode.too_small,
              minimum: check.value,
              type: "string",
              inclusive: true,
              exact: false,
              message: check.message
            });
            status.dirty();
          }
        } else if (check.kind === "max") {
          if (input.data.length > check.value) {
            ctx = this._getOrReturnCtx(input, ctx);
            addIssueToContext(ctx, {
              code: ZodIssueCode.too_big,
              maximum: check.value,
              type: "string",
              inclusive: true,
              exact: false,
              message: check.message
            });
            status.dirty();
          }
        } else if (check.kind === "length") {
          const tooBig = input.data.length > check.value;
          const tooSmall = input.data.length < check.value;
          if (tooBig || tooSmall) {
            ctx = this._getOrReturnCtx(input, ctx);
            if (tooBig) {
              addIssueToContext(ctx, {
                code: ZodIssueCode.too_big,
                maximum: check.value,
                type: "string",
                inclusive: true,
                exact: true,
                message: check.message
              });
            } else if (tooSmall) {
              addIssueToContext(ctx, {
                code: ZodIssueCode.too_small,
                minimum: check.value,
                type: "string",
                inclusive: true,
                exact: true,
                message: check.message
              });
            }
            status.dirty();
          }
        } else if (check.kind === "email") {
          if (!emailRegex.test(input.data)) {
            ctx = this._getOrReturnCtx(input, ctx);
            addIssueToContext(ctx, {
              validation: "email",
              code: ZodIssueCode.invalid_string,
              message: check.message
            });
            status.dirty();
          }
        } else if (check.kind === "emoji") {
          if (!emojiRegex) {
            emojiRegex = new RegExp(_emojiRegex, "u");
          }
          if (!emojiRegex.test(input.data)) {
            ctx = this._getOrReturnCtx(input, ctx);
            addIssueToContext(ctx, {
              validation: "emoji",
              code: ZodIssueCode.invalid_string,
              message: check.message
            });
            status.dirty();
          }
        } else if (check.kind === "uuid") {
          if (!uuidRegex.test(input.data)) {
            ctx = this._getOrReturnCtx(input, ctx);
            addIssueToContext(ctx, {
              validation: "uuid",
              code: ZodIssueCode.invalid_string,
              message: check.message
            });
            status.dirty();
          }
        } else if (check.kind === "nanoid") {
          if (!nanoidRegex.test(input.data)) {
            ctx = this._getOrReturnCtx(input, ctx);
            addIssueToContext(ctx, {
              validation: "nanoid",
              code: ZodIssueCode.invalid_string,
              message: check.message
            });
            status.dirty();
          }
        } else if (check.kind === "cuid") {
          if (!cuidRegex.test(input.data)) {
            ctx = this._getOrReturnCtx(input, ctx);
            addIssueToContext(ctx, {
              validation: "cuid",
              code: ZodIssueCode.invalid_string,
              message: check.message
            });
            status.dirty();
          }
        } else if (check.kind === "cuid2") {
          if (!cuid2Regex.test(input.data)) {
            ctx = this._getOrReturnCtx(input, ctx);
            addIssueToContext(ctx, {
              validation: "cuid2",
              code: ZodIssueCode.invalid_string,
              message: check.message
            });
            status.dirty();
          }
        } else if (check.kind === "ulid") {
          if (!ulidRegex.test(input.data)) {
            ctx = this._getOrReturnCtx(input, ctx);
            addIssueToContext(ctx, {
              validation: "ulid",
              code: ZodIssueCode.invalid_string,
              message: check.message
            });
            status.dirty();
          }
        } else if (check.kind === "url") {
          try {
            new URL(input.data);
          } catch {
            ctx = this._getOrReturnCtx(input, ctx);
            addIssueToContext(ctx, {
              validation: "url",
              code: ZodIssueCode.invalid_string,
              message: check.message
            });
            status.dirty();
          }
        } else if (check.kind === "regex") {
          check.regex.lastIndex = 0;
          const testResult = check.regex.test(input.data);
          if (!testResult) {
            ctx = this._getOrReturnCtx(input, ctx);
            addIssueToContext(ctx, {
              validation: "regex",
              code: ZodIssueCode.invalid_string,
              message: check.message
            });
            status.dirty();
          }
        } else if (check.kind === "trim") {
          input.data = input.data.trim();
        } else if (check.kind === "includes") {
          if (!input.data.includes(check.value, check.position)) {
            ctx = this._getOrReturnCtx(input, ctx);
            addIssueToContext(ctx, {
              code: ZodIssueCode.invalid_string,
              validation: { includes: check.value, position: check.position },
              message: check.message
            });
            status.dirty();
          }
        } else if (check.kind === "toLowerCase") {
          input.data = input.data.toLowerCase();
        } else if (check.kind === "toUpperCase") {
          input.data = input.data.toUpperCase();
        } else if (check.kind === "startsWith") {
          if (!input.data.startsWith(check.value)) {
            ctx = this._getOrReturnCtx(input, ctx);
            addIssueToContext(ctx, {
              code: ZodIssueCode.invalid_string,
              validation: { startsWith: check.value },
              message: check.message
            });
            status.dirty();
          }
        } else if (check.kind === "endsWith") {
          if (!input.data.endsWith(check.value)) {
            ctx = this._getOrReturnCtx(input, ctx);
            addIssueToContext(ctx, {
              code: ZodIssueCode.invalid_string,
              validation: { endsWith: check.value },
              message: check.message
            });
            status.dirty();
          }
        } else if (check.kind === "datetime") {
          const regex = datetimeRegex(check);
          if (!regex.test(input.data)) {
            ctx = this._getOrReturnCtx(input, ctx);
            addIssueToContext(ctx, {
              code: ZodIssueCode.invalid_string,
              validation: "datetime",
              message: check.message
            });
            status.dirty();
          }
        } else if (check.kind === "date") {
          const regex = dateRegex;
          if (!regex.test(input.data)) {
            ctx = this._getOrReturnCtx(input, ctx);
            addIssueToContext(ctx, {
              code: ZodIssueCode.invalid_string,
              validation: "date",
              message: check.message
            });
            status.dirty();
          }
        } else if (check.kind === "time") {
          const regex = timeRegex(check);
          if (!regex.test(input.data)) {
            ctx = this._getOrReturnCtx(input, ctx);
            addIssueToContext(ctx, {
              code: ZodIssueCode.invalid_string,
              validation: "time",
              message: check.message
            });
            status.dirty();
          }
        } else if (check.kind === "duration") {
          if (!durationRegex.test(input.data)) {
            ctx = this._getOrReturnCtx(input, ctx);
            addIssueToContext(ctx, {
              validation: "duration",
              code: ZodIssueCode.invalid_string,
              message: check.message
            });
            status.dirty();
          }
        } else if (check.kind === "ip") {
          if (!isValidIP(input.data, check.version)) {
            ctx = this._getOrReturnCtx(input, ctx);
            addIssueToContext(ctx, {
              validation: "ip",
              code: ZodIssueCode.invalid_string,
              message: check.message
            });
            status.dirty();
          }
        } else if (check.kind === "jwt") {
          if (!isValidJWT(input.data, check.alg)) {
            ctx = this._getOrReturnCtx(input, ctx);
            addIssueToContext(ctx, {
              validation: "jwt",
              code: ZodIssueCode.invalid_string,
              message: check.message
            });
            status.dirty();
          }
        } else if (check.kind === "cidr") {
          if (!isValidCidr(input.data, check.version)) {
            ctx = this._getOrReturnCtx(input, ctx);
            addIssueToContext(ctx, {
              validation: "cidr",
              code: ZodIssueCode.invalid_string,
              message: check.message
            });
            status.dirty();
          }
        } else if (check.kind === "base64") {
          if (!base64Regex.test(input.data)) {
            ctx = this._getOrReturnCtx(input, ctx);
            addIssueToContext(ctx, {
              validation: "base64",
              code: ZodIssueCode.invalid_string,
              message: check.message
            });
            status.dirty();
          }
        } else if (check.kind === "base64url") {
          if (!base64urlRegex.test(input.data)) {
            ctx = this._getOrReturnCtx(input, ctx);
            addIssueToContext(ctx, {
              validation: "base64url",
              code: ZodIssueCode.invalid_string,
              message: check.message
            });
            status.dirty();
          }
        } else {
          util.assertNever(check);
        }
      }
      return { status: status.value, value: input.data };
    }
    _regex(regex, validation, message) {
      return this.refinement((data) => regex.test(data), {
        validation,
        code: ZodIssueCode.invalid_string,
        ...errorUtil.errToObj(message)
      });
    }
    _addCheck(check) {
      return new _ZodString({
        ...this._def,
        checks: [...this._def.checks, check]
      });
    }
    email(message) {
      return this._addCheck({ kind: "email", ...errorUtil.errToObj(message) });
    }
    url(message) {
      return this._addCheck({ kind: "url", ...errorUtil.errToObj(message) });
    }
    emoji(message) {
      return this._addCheck({ kind: "emoji", ...errorUtil.errToObj(message) });
    }
    uuid(message) {
      return this._addCheck({ kind: "uuid", ...errorUtil.errToObj(message) });
    }
    nanoid(message) {
      return this._addCheck({ kind: "nanoid", ...errorUtil.errToObj(message) });
    }
    cuid(message) {
      return this._addCheck({ kind: "cuid", ...errorUtil.errToObj(message) });
    }
    cuid2(message) {
      return this._addCheck({ kind: "cuid2", ...errorUtil.errToObj(message) });
    }
    ulid(message) {
      return this._addCheck({ kind: "ulid", ...errorUtil.errToObj(message) });
    }
    base64(message) {
      return this._addCheck({ kind: "base64", ...errorUtil.errToObj(message) });
    }
    base64url(message) {
      return this._addCheck({
        kind: "base64url",
        ...errorUtil.errToObj(message)
      });
    }
    jwt(options) {
      return this._addCheck({ kind: "jwt", ...errorUtil.errToObj(options) });
    }
    ip(options) {
      return this._addCheck({ kind: "ip", ...errorUtil.errToObj(options) });
    }
    cidr(options) {
      return this._addCheck({ kind: "cidr", ...errorUtil.errToObj(options) });
    }
    datetime(options) {
      if (typeof options === "string") {
        return this._addCheck({
          kind: "datetime",
          precision: null,
          offset: false,
          local: false,
          message: options
        });
      }
      return this._addCheck({
        kind: "datetime",
        precision: typeof options?.precision === "undefined" ? null : options?.precision,
        offset: options?.offset ?? false,
        local: options?.local ?? false,
        ...errorUtil.errToObj(options?.message)
      });
    }
    date(message) {
      return this._addCheck({ kind: "date", message });
    }
    time(options) {
      if (typeof options === "string") {
        return this._addCheck({
          kind: "time",
          precision: null,
          message: options
        });
      }
      return this._addCheck({
        kind: "time",
        precision: typeof options?.precision === "undefined" ? null : options?.precision,
        ...errorUtil.errToObj(options?.message)
      });
    }
    duration(message) {
      return this._addCheck({ kind: "duration", ...errorUtil.errToObj(message) });
    }
    regex(regex, message) {
      return this._addCheck({
        kind: "regex",
        regex,
        ...errorUtil.errToObj(message)
      });
    }
    includes(value, options) {
      return this._addCheck({
        kind: "includes",
        value,
        position: options?.position,
        ...errorUtil.errToObj(options?.message)
      });
    }
    startsWith(value, message) {
      return this._addCheck({
        kind: "startsWith",
        value,
        ...errorUtil.errToObj(message)
      });
    }
    endsWith(value, message) {
      return this._addCheck({
        kind: "endsWith",
        value,
        ...errorUtil.errToObj(message)
      });
    }
    min(minLength, message) {
      return this._addCheck({
        kind: "min",
        value: minLength,
        ...errorUtil.errToObj(message)
      });
    }
    max(maxLength, message) {
      return this._addCheck({
        kind: "max",
        value: maxLength,
        ...errorUtil.errToObj(message)
      });
    }
    length(len, message) {
      return this._addCheck({
        kind: "length",
        value: len,
        ...errorUtil.errToObj(message)
      });
    }
    /**
     * Equivalent to `.min(1)`
     */
    nonempty(message) {
      return this.min(1, errorUtil.errToObj(message));
    }
    trim() {
      return new _ZodString({
        ...this._def,
        checks: [...this._def.checks, { kind: "trim" }]
      });
    }
    toLowerCase() {
      return new _ZodString({
        ...this._def,
        checks: [...this._def.checks, { kind: "toLowerCase" }]
      });
    }
    toUpperCase() {
      return new _ZodString({
        ...this._def,
        checks: [...this._def.checks, { kind: "toUpperCase" }]
      });
    }
    get isDatetime() {
      return !!this._def.checks.find((ch) => ch.kind === "datetime");
    }
    get isDate() {
      return !!this._def.checks.find((ch) => ch.kind === "date");
    }
    get isTime() {
      return !!this._def.checks.find((ch) => ch.kind === "time");
    }
    get isDuration() {
      return !!this._def.checks.find((ch) => ch.kind === "duration");
    }
    get isEmail() {
      return !!this._def.checks.find((ch) => ch.kind === "email");
    }
    get isURL() {
      return !!this._def.checks.find((ch) => ch.kind === "url");
    }
    get isEmoji() {
      return !!this._def.checks.find((ch) => ch.kind === "emoji");
    }
    get isUUID() {
      return !!this._def.checks.find((ch) => ch.kind === "uuid");
    }
    get isNANOID() {
      return !!this._def.checks.find((ch) => ch.kind === "nanoid");
    }
    get isCUID() {
      return !!this._def.checks.find((ch) => ch.kind === "cuid");
    }
    get isCUID2() {
      return !!this._def.checks.find((ch) => ch.kind === "cuid2");
    }
    get isULID() {
      return !!this._def.checks.find((ch) => ch.kind === "ulid");
    }
    get isIP() {
      return !!this._def.checks.find((ch) => ch.kind === "ip");
    }
    get isCIDR() {
      return !!this._def.checks.find((ch) => ch.kind === "cidr");
    }
    get isBase64() {
      return !!this._def.checks.find((ch) => ch.kind === "base64");
    }
    get isBase64url() {
      return !!this._def.checks.find((ch) => ch.kind === "base64url");
    }
    get minLength() {
      let min = null;
      for (const ch of this._def.checks) {
        if (ch.kind === "min") {
          if (min === null || ch.value > min)
            min = ch.value;
        }
      }
      return min;
    }
    get maxLength() {
      let max = null;
      for (const ch of this._def.checks) {
        if (ch.kind === "max") {
          if (max === null || ch.value < max)
            max = ch.value;
        }
      }
      return max;
    }
  };
  ZodString.create = (params) => {
    return new ZodString({
      checks: [],
      typeName: ZodFirstPartyTypeKind.ZodString,
      coerce: params?.coerce ?? false,
      ...processCreateParams(params)
    });
  };
  function floatSafeRemainder(val, step2) {
    const valDecCount = (val.toString().split(".")[1] || "").length;
    const stepDecCount = (step2.toString().split(".")[1] || "").length;
    const decCount = valDecCount > stepDecCount ? valDecCount : stepDecCount;
    const valInt = Number.parseInt(val.toFixed(decCount).replace(".", ""));
    const stepInt = Number.parseInt(step2.toFixed(decCount).replace(".", ""));
    return valInt % stepInt / 10 ** decCount;
  }
  var ZodNumber = class _ZodNumber extends ZodType {
    constructor() {
      super(...arguments);
      this.min = this.gte;
      this.max = this.lte;
      this.step = this.multipleOf;
    }
    _parse(input) {
      if (this._def.coerce) {
        input.data = Number(input.data);
      }
      const parsedType = this._getType(input);
      if (parsedType !== ZodParsedType.number) {
        const ctx2 = this._getOrReturnCtx(input);
        addIssueToContext(ctx2, {
          code: ZodIssueCode.invalid_type,
          expected: ZodParsedType.number,
          received: ctx2.parsedType
        });
        return INVALID;
      }
      let ctx = void 0;
      const status = new ParseStatus();
      for (const check of this._def.checks) {
        if (check.kind === "int") {
          if (!util.isInteger(input.data)) {
            ctx = this._getOrReturnCtx(input, ctx);
            addIssueToContext(ctx, {
              code: ZodIssueCode.invalid_type,
              expected: "integer",
              received: "float",
              message: check.message
            });
            status.dirty();
          }
        } else if (check.kind === "min") {
          const tooSmall = check.inclusive ? input.data < check.value : input.data <= check.value;
          if (tooSmall) {
            ctx = this._getOrReturnCtx(input, ctx);
            addIssueToContext(ctx, {
              code: ZodIssueCode.too_small,
              minimum: check.value,
              type: "number",
              inclusive: check.inclusive,
              exact: false,
              message: check.message
            });
            status.dirty();
          }
        } else if (check.kind === "max") {
          const tooBig = check.inclusive ? input.data > check.value : input.data >= check.value;
          if (tooBig) {
            ctx = this._getOrReturnCtx(input, ctx);
            addIssueToContext(ctx, {
              code: ZodIssueCode.too_big,
              maximum: check.value,
              type: "number",
              inclusive: check.inclusive,
              exact: false,
              message: check.message
            });
            status.dirty();
          }
        } else if (check.kind === "multipleOf") {
          if (floatSafeRemainder(input.data, check.value) !== 0) {
            ctx = this._getOrReturnCtx(input, ctx);
            addIssueToContext(ctx, {
              code: ZodIssueCode.not_multiple_of,
              multipleOf: check.value,
              message: check.message
            });
            status.dirty();
          }
        } else if (check.kind === "finite") {
          if (!Number.isFinite(input.data)) {
            ctx = this._getOrReturnCtx(input, ctx);
            addIssueToContext(ctx, {
              code: ZodIssueCode.not_finite,
              message: check.message
            });
            status.dirty();
          }
        } else {
          util.assertNever(check);
        }
      }
      return { status: status.value, value: input.data };
    }
    gte(value, message) {
      return this.setLimit("min", value, true, errorUtil.toString(message));
    }
    gt(value, message) {
      return this.setLimit("min", value, false, errorUtil.toString(message));
    }
    lte(value, message) {
      return this.setLimit("max", value, true, errorUtil.toString(message));
    }
    lt(value, message) {
      return this.setLimit("max", value, false, errorUtil.toString(message));
    }
    setLimit(kind, value, inclusive, message) {
      return new _ZodNumber({
        ...this._def,
        checks: [
          ...this._def.checks,
          {
            kind,
            value,
            inclusive,
            message: errorUtil.toString(message)
          }
        ]
      });
    }
    _addCheck(check) {
      return new _ZodNumber({
        ...this._def,
        checks: [...this._def.checks, check]
      });
    }
    int(message) {
      return this._addCheck({
        kind: "int",
        message: errorUtil.toString(message)
      });
    }
    positive(message) {
      return this._addCheck({
        kind: "min",
        value: 0,
        inclusive: false,
        message: errorUtil.toString(message)
      });
    }
    negative(message) {
      return this._addCheck({
        kind: "max",
        value: 0,
        inclusive: false,
        message: errorUtil.toString(message)
      });
    }
    nonpositive(message) {
      return this._addCheck({
        kind: "max",
        value: 0,
        inclusive: true,
        message: errorUtil.toString(message)
      });
    }
    nonnegative(message) {
      return this._addCheck({
        kind: "min",
        value: 0,
        inclusive: true,
        message: errorUtil.toString(message)
      });
    }
    multipleOf(value, message) {
      return this._addCheck({
        kind: "multipleOf",
        value,
        message: errorUtil.toString(message)
      });
    }
    finite(message) {
      return this._addCheck({
        kind: "finite",
        message: errorUtil.toString(message)
      });
    }
    safe(message) {
      return this._addCheck({
        kind: "min",
        inclusive: true,
        value: Number.MIN_SAFE_INTEGER,
        message: errorUtil.toString(message)
      })._addCheck({
        kind: "max",
        inclusive: true,
        value: Number.MAX_SAFE_INTEGER,
        message: errorUtil.toString(message)
      });
    }
    get minValue() {
      let min = null;
      for (const ch of this._def.checks) {
        if (ch.kind === "min") {
          if (min === null || ch.value > min)
            min = ch.value;
        }
      }
      return min;
    }
    get maxValue() {
      let max = null;
      for (const ch of this._def.checks) {
        if (ch.kind === "max") {
          if (max === null || ch.value < max)
            max = ch.value;
        }
      }
      return max;
    }
    get isInt() {
      return !!this._def.checks.find((ch) => ch.kind === "int" || ch.kind === "multipleOf" && util.isInteger(ch.value));
    }
    get isFinite() {
      let max = null;
      let min = null;
      for (const ch of this._def.checks) {
        if (ch.kind === "finite" || ch.kind === "int" || ch.kind === "multipleOf") {
          return true;
        } else if (ch.kind === "min") {
          if (min === null || ch.value > min)
            min = ch.value;
        } else if (ch.kind === "max") {
          if (max === null || ch.value < max)
            max = ch.value;
        }
      }
      return Number.isFinite(min) && Number.isFinite(max);
    }
  };
  ZodNumber.create = (params) => {
    return new ZodNumber({
      checks: [],
      typeName: ZodFirstPartyTypeKind.ZodNumber,
      coerce: params?.coerce || false,
      ...processCreateParams(params)
    });
  };
  var ZodBigInt = class _ZodBigInt extends ZodType {
    constructor() {
      super(...arguments);
      this.min = this.gte;
      this.max = this.lte;
    }
    _parse(input) {
      if (this._def.coerce) {
        try {
          input.data = BigInt(input.data);
        } catch {
          return this._getInvalidInput(input);
        }
      }
      const parsedType = this._getType(input);
      if (parsedType !== ZodParsedType.bigint) {
        return this._getInvalidInput(input);
      }
      let ctx = void 0;
      const status = new ParseStatus();
      for (const check of this._def.checks) {
        if (check.kind === "min") {
          const tooSmall = check.inclusive ? input.data < check.value : input.data <= check.value;
          if (tooSmall) {
            ctx = this._getOrReturnCtx(input, ctx);
            addIssueToContext(ctx, {
              code: ZodIssueCode.too_small,
              type: "bigint",
              minimum: check.value,
              inclusive: check.inclusive,
              message: check.message
            });
            status.dirty();
          }
        } else if (check.kind === "max") {
          const tooBig = check.inclusive ? input.data > check.value : input.data >= check.value;
          if (tooBig) {
            ctx = this._getOrReturnCtx(input, ctx);
            addIssueToContext(ctx, {
              code: ZodIssueCode.too_big,
              type: "bigint",
              maximum: check.value,
              inclusive: check.inclusive,
              message: check.message
            });
            status.dirty();
          }
        } else if (check.kind === "multipleOf") {
          if (input.data % check.value !== BigInt(0)) {
            ctx = this._getOrReturnCtx(input, ctx);
            addIssueToContext(ctx, {
              code: ZodIssueCode.not_multiple_of,
              multipleOf: check.value,
              message: check.message
            });
            status.dirty();
          }
        } else {
          util.assertNever(check);
        }
      }
      return { status: status.value, value: input.data };
    }
    _getInvalidInput(input) {
      const ctx = this._getOrReturnCtx(input);
      addIssueToContext(ctx, {
        code: ZodIssueCode.invalid_type,
        expected: ZodParsedType.bigint,
        received: ctx.parsedType
      });
      return INVALID;
    }
    gte(value, message) {
      return this.setLimit("min", value, true, errorUtil.toString(message));
    }
    gt(value, message) {
      return this.setLimit("min", value, false, errorUtil.toString(message));
    }
    lte(value, message) {
      return this.setLimit("max", value, true, errorUtil.toString(message));
    }
    lt(value, message) {
      return this.setLimit("max", value, false, errorUtil.toString(message));
    }
    setLimit(kind, value, inclusive, message) {
      return new _ZodBigInt({
        ...this._def,
        checks: [
          ...this._def.checks,
          {
            kind,
            value,
            inclusive,
            message: errorUtil.toString(message)
          }
        ]
      });
    }
    _addCheck(check) {
      return new _ZodBigInt({
        ...this._def,
        checks: [...this._def.checks, check]
      });
    }
    positive(message) {
      return this._addCheck({
        kind: "min",
        value: BigInt(0),
        inclusive: false,
        message: errorUtil.toString(message)
      });
    }
    negative(message) {
      return this._addCheck({
        kind: "max",
        value: BigInt(0),
        inclusive: false,
        message: errorUtil.toString(message)
      });
    }
    nonpositive(message) {
      return this._addCheck({
        kind: "max",
        value: BigInt(0),
        inclusive: true,
        message: errorUtil.toString(message)
      });
    }
    nonnegative(message) {
      return this._addCheck({
        kind: "min",
        value: BigInt(0),
        inclusive: true,
        message: errorUtil.toString(message)
      });
    }
    multipleOf(value, message) {
      return this._addCheck({
        kind: "multipleOf",
        value,
        message: errorUtil.toString(message)
      });
    }
    get minValue() {
      let min = null;
      for (const ch of this._def.checks) {
        if (ch.kind === "min") {
          if (min === null || ch.value > min)
            min = ch.value;
        }
      }
      return min;
    }
    get maxValue() {
      let max = null;
      for (const ch of this._def.checks) {
        if (ch.kind === "max") {
          if (max === null || ch.value < max)
            max = ch.value;
        }
      }
      return max;
    }
  };
  ZodBigInt.create = (params) => {
    return new ZodBigInt({
      checks: [],
      typeName: ZodFirstPartyTypeKind.ZodBigInt,
      coerce: params?.coerce ?? false,
      ...processCreateParams(params)
    });
  };
  var ZodBoolean = class extends ZodType {
    _parse(input) {
      if (this._def.coerce) {
        input.data = Boolean(input.data);
      }
      const parsedType = this._getType(input);
      if (parsedType !== ZodParsedType.boolean) {
        const ctx = this._getOrReturnCtx(input);
        addIssueToContext(ctx, {
          code: ZodIssueCode.invalid_type,
          expected: ZodParsedType.boolean,
          received: ctx.parsedType
        });
        return INVALID;
      }
      return OK(input.data);
    }
  };
  ZodBoolean.create = (params) => {
    return new ZodBoolean({
      typeName: ZodFirstPartyTypeKind.ZodBoolean,
      coerce: params?.coerce || false,
      ...processCreateParams(params)
    });
  };
  var ZodDate = class _ZodDate extends ZodType {
    _parse(input) {
      if (this._def.coerce) {
        input.data = new Date(input.data);
      }
      const parsedType = this._getType(input);
      if (parsedType !== ZodParsedType.date) {
        const ctx2 = this._getOrReturnCtx(input);
        addIssueToContext(ctx2, {
          code: ZodIssueCode.invalid_type,
          expected: ZodParsedType.date,
          received: ctx2.parsedType
        });
        return INVALID;
      }
      if (Number.isNaN(input.data.getTime())) {
        const ctx2 = this._getOrReturnCtx(input);
        addIssueToContext(ctx2, {
          code: ZodIssueCode.invalid_date
        });
        return INVALID;
      }
      const status = new ParseStatus();
      let ctx = void 0;
      for (const check of this._def.checks) {
        if (check.kind === "min") {
          if (input.data.getTime() < check.value) {
            ctx = this._getOrReturnCtx(input, ctx);
            addIssueToContext(ctx, {
              code: ZodIssueCode.too_small,
              message: check.message,
              inclusive: true,
              exact: false,
              minimum: check.value,
              type: "date"
            });
            status.dirty();
          }
        } else if (check.kind === "max") {
          if (input.data.getTime() > check.value) {
            ctx = this._getOrReturnCtx(input, ctx);
            addIssueToContext(ctx, {
              code: ZodIssueCode.too_big,
              message: check.message,
              inclusive: true,
              exact: false,
              maximum: check.value,
              type: "date"
            });
            status.dirty();
          }
        } else {
          util.assertNever(check);
        }
      }
      return {
        status: status.value,
        value: new Date(input.data.getTime())
      };
    }
    _addCheck(check) {
      return new _ZodDate({
        ...this._def,
        checks: [...this._def.checks, check]
      });
    }
    min(minDate, message) {
      return this._addCheck({
        kind: "min",
        value: minDate.getTime(),
        message: errorUtil.toString(message)
      });
    }
    max(maxDate, message) {
      return this._addCheck({
        kind: "max",
        value: maxDate.getTime(),
        message: errorUtil.toString(message)
      });
    }
    get minDate() {
      let min = null;
      for (const ch of this._def.checks) {
        if (ch.kind === "min") {
          if (min === null || ch.value > min)
            min = ch.value;
        }
      }
      return min != null ? new Date(min) : null;
    }
    get maxDate() {
      let max = null;
      for (const ch of this._def.checks) {
        if (ch.kind === "max") {
          if (max === null || ch.value < max)
            max = ch.value;
        }
      }
      return max != null ? new Date(max) : null;
    }
  };
  ZodDate.create = (params) => {
    return new ZodDate({
      checks: [],
      coerce: params?.coerce || false,
      typeName: ZodFirstPartyTypeKind.ZodDate,
      ...processCreateParams(params)
    });
  };
  var ZodSymbol = class extends ZodType {
    _parse(input) {
      const parsedType = this._getType(input);
      if (parsedType !== ZodParsedType.symbol) {
        const ctx = this._getOrReturnCtx(input);
        addIssueToContext(ctx, {
          code: ZodIssueCode.invalid_type,
          expected: ZodParsedType.symbol,
          received: ctx.parsedType
        });
        return INVALID;
      }
      return OK(input.data);
    }
  };
  ZodSymbol.create = (params) => {
    return new ZodSymbol({
      typeName: ZodFirstPartyTypeKind.ZodSymbol,
      ...processCreateParams(params)
    });
  };
  var ZodUndefined = class extends ZodType {
    _parse(input) {
      const parsedType = this._getType(input);
      if (parsedType !== ZodParsedType.undefined) {
        const ctx = this._getOrReturnCtx(input);
        addIssueToContext(ctx, {
          code: ZodIssueCode.invalid_type,
          expected: ZodParsedType.undefined,
          received: ctx.parsedType
        });
        return INVALID;
      }
      return OK(input.data);
    }
  };
  ZodUndefined.create = (params) => {
    return new ZodUndefined({
      typeName: ZodFirstPartyTypeKind.ZodUndefined,
      ...processCreateParams(params)
    });
  };
  var ZodNull = class extends ZodType {
    _parse(input) {
      const parsedType = this._getType(input);
      if (parsedType !== ZodParsedType.null) {
        const ctx = this._getOrReturnCtx(input);
        addIssueToContext(ctx, {
          code: ZodIssueCode.invalid_type,
          expected: ZodParsedType.null,
          received: ctx.parsedType
        });
        return INVALID;
      }
      return OK(input.data);
    }
  };
  ZodNull.create = (params) => {
    return new ZodNull({
      typeName: ZodFirstPartyTypeKind.ZodNull,
      ...processCreateParams(params)
    });
  };
  var ZodAny = class extends ZodType {
    constructor() {
      super(...arguments);
      this._any = true;
    }
    _parse(input) {
      return OK(input.data);
    }
  };
  ZodAny.create = (params) => {
    return new ZodAny({
      typeName: ZodFirstPartyTypeKind.ZodAny,
      ...processCreateParams(params)
    });
  };
  var ZodUnknown = class extends ZodType {
    constructor() {
      super(...arguments);
      this._unknown = true;
    }
    _parse(input) {
      return OK(input.data);
    }
  };
  ZodUnknown.create = (params) => {
    return new ZodUnknown({
      typeName: ZodFirstPartyTypeKind.ZodUnknown,
      ...processCreateParams(params)
    });
  };
  var ZodNever = class extends ZodType {
    _parse(input) {
      const ctx = this._getOrReturnCtx(input);
      addIssueToContext(ctx, {
        code: ZodIssueCode.invalid_type,
        expected: ZodParsedType.never,
        received: ctx.parsedType
      });
      return INVALID;
    }
  };
  ZodNever.create = (params) => {
    return new ZodNever({
      typeName: ZodFirstPartyTypeKind.ZodNever,
      ...processCreateParams(params)
    });
  };
  var ZodVoid = class extends ZodType {
    _parse(input) {
      const parsedType = this._getType(input);
      if (parsedType !== ZodParsedType.undefined) {
        const ctx = this._getOrReturnCtx(input);
        addIssueToContext(ctx, {
          code: ZodIssueCode.invalid_type,
          expected: ZodParsedType.void,
          received: ctx.parsedType
        });
        return INVALID;
      }
      return OK(input.data);
    }
  };
  ZodVoid.create = (params) => {
    return new ZodVoid({
      typeName: ZodFirstPartyTypeKind.ZodVoid,
      ...processCreateParams(params)
    });
  };
  var ZodArray = class _ZodArray extends ZodType {
    _parse(input) {
      const { ctx, status } = this._processInputParams(input);
      const def = this._def;
      if (ctx.parsedType !== ZodParsedType.array) {
        addIssueToContext(ctx, {
          code: ZodIssueCode.invalid_type,
          expected: ZodParsedType.array,
          received: ctx.parsedType
        });
        return INVALID;
      }
      if (def.exactLength !== null) {
        const tooBig = ctx.data.length > def.exactLength.value;
        const tooSmall = ctx.data.length < def.exactLength.value;
        if (tooBig || tooSmall) {
          addIssueToContext(ctx, {
            code: tooBig ? ZodIssueCode.too_big : ZodIssueCode.too_small,
            minimum: tooSmall ? def.exactLength.value : void 0,
            maximum: tooBig ? def.exactLength.value : void 0,
            type: "array",
            inclusive: true,
            exact: true,
            message: def.exactLength.message
          });
          status.dirty();
        }
      }
      if (def.minLength !== null) {
        if (ctx.data.length < def.minLength.value) {
          addIssueToContext(ctx, {
            code: ZodIssueCode.too_small,
            minimum: def.minLength.value,
            type: "array",
            inclusive: true,
            exact: false,
            message: def.minLength.message
          });
          status.dirty();
        }
      }
      if (def.maxLength !== null) {
        if (ctx.data.length > def.maxLength.value) {
          addIssueToContext(ctx, {
            code: ZodIssueCode.too_big,
            maximum: def.maxLength.value,
            type: "array",
            inclusive: true,
            exact: false,
            message: def.maxLength.message
          });
          status.dirty();
        }
      }
      if (ctx.common.async) {
        return Promise.all([...ctx.data].map((item, i) => {
          return def.type._parseAsync(new ParseInputLazyPath(ctx, item, ctx.path, i));
        })).then((result2) => {
          return ParseStatus.mergeArray(status, result2);
        });
      }
      const result = [...ctx.data].map((item, i) => {
        return def.type._parseSync(new ParseInputLazyPath(ctx, item, ctx.path, i));
      });
      return ParseStatus.mergeArray(status, result);
    }
    get element() {
      return this._def.type;
    }
    min(minLength, message) {
      return new _ZodArray({
        ...this._def,
        minLength: { value: minLength, message: errorUtil.toString(message) }
      });
    }
    max(maxLength, message) {
      return new _ZodArray({
        ...this._def,
        maxLength: { value: maxLength, message: errorUtil.toString(message) }
      });
    }
    length(len, message) {
      return new _ZodArray({
        ...this._def,
        exactLength: { value: len, message: errorUtil.toString(message) }
      });
    }
    nonempty(message) {
      return this.min(1, message);
    }
  };
  ZodArray.create = (schema, params) => {
    return new ZodArray({
      type: schema,
      minLength: null,
      maxLength: null,
      exactLength: null,
      typeName: ZodFirstPartyTypeKind.ZodArray,
      ...processCreateParams(params)
    });
  };
  function deepPartialify(schema) {
    if (schema instanceof ZodObject) {
      const newShape = {};
      for (const key in schema.shape) {
        const fieldSchema = schema.shape[key];
        newShape[key] = ZodOptional.create(deepPartialify(fieldSchema));
      }
      return new ZodObject({
        ...schema._def,
        shape: () => newShape
      });
    } else if (schema instanceof ZodArray) {
      return new ZodArray({
        ...schema._def,
        type: deepPartialify(schema.element)
      });
    } else if (schema instanceof ZodOptional) {
      return ZodOptional.create(deepPartialify(schema.unwrap()));
    } else if (schema instanceof ZodNullable) {
      return ZodNullable.create(deepPartialify(schema.unwrap()));
    } else if (schema instanceof ZodTuple) {
      return ZodTuple.create(schema.items.map((item) => deepPartialify(item)));
    } else {
      return schema;
    }
  }
  var ZodObject = class _ZodObject extends ZodType {
    constructor() {
      super(...arguments);
      this._cached = null;
      this.nonstrict = this.passthrough;
      this.augment = this.extend;
    }
    _getCached() {
      if (this._cached !== null)
        return this._cached;
      const shape = this._def.shape();
      const keys = util.objectKeys(shape);
      this._cached = { shape, keys };
      return this._cached;
    }
    _parse(input) {
      const parsedType = this._getType(input);
      if (parsedType !== ZodParsedType.object) {
        const ctx2 = this._getOrReturnCtx(input);
        addIssueToContext(ctx2, {
          code: ZodIssueCode.invalid_type,
          expected: ZodParsedType.object,
          received: ctx2.parsedType
        });
        return INVALID;
      }
      const { status, ctx } = this._processInputParams(input);
      const { shape, keys: shapeKeys } = this._getCached();
      const extraKeys = [];
      if (!(this._def.catchall instanceof ZodNever && this._def.unknownKeys === "strip")) {
        for (const key in ctx.data) {
          if (!shapeKeys.includes(key)) {
            extraKeys.push(key);
          }
        }
      }
      const pairs = [];
      for (const key of shapeKeys) {
        const keyValidator = shape[key];
        const value = ctx.data[key];
        pairs.push({
          key: { status: "valid", value: key },
          value: keyValidator._parse(new ParseInputLazyPath(ctx, value, ctx.path, key)),
          alwaysSet: key in ctx.data
        });
      }
      if (this._def.catchall instanceof ZodNever) {
        const unknownKeys = this._def.unknownKeys;
        if (unknownKeys === "passthrough") {
          for (const key of extraKeys) {
            pairs.push({
              key: { status: "valid", value: key },
              value: { status: "valid", value: ctx.data[key] }
            });
          }
        } else if (unknownKeys === "strict") {
          if (extraKeys.length > 0) {
            addIssueToContext(ctx, {
              code: ZodIssueCode.unrecognized_keys,
              keys: extraKeys
            });
            status.dirty();
          }
        } else if (unknownKeys === "strip") {
        } else {
          throw new Error(`Internal ZodObject error: invalid unknownKeys value.`);
        }
      } else {
        const catchall = this._def.catchall;
        for (const key of extraKeys) {
          const value = ctx.data[key];
          pairs.push({
            key: { status: "valid", value: key },
            value: catchall._parse(
              new ParseInputLazyPath(ctx, value, ctx.path, key)
              //, ctx.child(key), value, getParsedType(value)
            ),
            alwaysSet: key in ctx.data
          });
        }
      }
      if (ctx.common.async) {
        return Promise.resolve().then(async () => {
          const syncPairs = [];
          for (const pair of pairs) {
            const key = await pair.key;
            const value = await pair.value;
            syncPairs.push({
              key,
              value,
              alwaysSet: pair.alwaysSet
            });
          }
          return syncPairs;
        }).then((syncPairs) => {
          return ParseStatus.mergeObjectSync(status, syncPairs);
        });
      } else {
        return ParseStatus.mergeObjectSync(status, pairs);
      }
    }
    get shape() {
      return this._def.shape();
    }
    strict(message) {
      errorUtil.errToObj;
      return new _ZodObject({
        ...this._def,
        unknownKeys: "strict",
        ...message !== void 0 ? {
          errorMap: (issue, ctx) => {
            const defaultError = this._def.errorMap?.(issue, ctx).message ?? ctx.defaultError;
            if (issue.code === "unrecognized_keys")
              return {
                message: errorUtil.errToObj(message).message ?? defaultError
              };
            return {
              message: defaultError
            };
          }
        } : {}
      });
    }
    strip() {
      return new _ZodObject({
        ...this._def,
        unknownKeys: "strip"
      });
    }
    passthrough() {
      return new _ZodObject({
        ...this._def,
        unknownKeys: "passthrough"
      });
    }
    // const AugmentFactory =
    //   <Def extends ZodObjectDef>(def: Def) =>
    //   <Augmentation extends ZodRawShape>(
    //     augmentation: Augmentation
    //   ): ZodObject<
    //     extendShape<ReturnType<Def["shape"]>, Augmentation>,
    //     Def["unknownKeys"],
    //     Def["catchall"]
    //   > => {
    //     return new ZodObject({
    //       ...def,
    //       shape: () => ({
    //         ...def.shape(),
    //         ...augmentation,
    //       }),
    //     }) as any;
    //   };
    extend(augmentation) {
      return new _ZodObject({
        ...this._def,
        shape: () => ({
          ...this._def.shape(),
          ...augmentation
        })
      });
    }
    /**
     * Prior to zod@1.0.12 there was a bug in the
     * inferred type of merged objects. Please
     * upgrade if you are experiencing issues.
     */
    merge(merging) {
      const merged = new _ZodObject({
        unknownKeys: merging._def.unknownKeys,
        catchall: merging._def.catchall,
        shape: () => ({
          ...this._def.shape(),
          ...merging._def.shape()
        }),
        typeName: ZodFirstPartyTypeKind.ZodObject
      });
      return merged;
    }
    // merge<
    //   Incoming extends AnyZodObject,
    //   Augmentation extends Incoming["shape"],
    //   NewOutput extends {
    //     [k in keyof Augmentation | keyof Output]: k extends keyof Augmentation
    //       ? Augmentation[k]["_output"]
    //       : k extends keyof Output
    //       ? Output[k]
    //       : never;
    //   },
    //   NewInput extends {
    //     [k in keyof Augmentation | keyof Input]: k extends keyof Augmentation
    //       ? Augmentation[k]["_input"]
    //       : k extends keyof Input
    //       ? Input[k]
    //       : never;
    //   }
    // >(
    //   merging: Incoming
    // ): ZodObject<
    //   extendShape<T, ReturnType<Incoming["_def"]["shape"]>>,
    //   Incoming["_def"]["unknownKeys"],
    //   Incoming["_def"]["catchall"],
    //   NewOutput,
    //   NewInput
    // > {
    //   const merged: any = new ZodObject({
    //     unknownKeys: merging._def.unknownKeys,
    //     catchall: merging._def.catchall,
    //     shape: () =>
    //       objectUtil.mergeShapes(this._def.shape(), merging._def.shape()),
    //     typeName: ZodFirstPartyTypeKind.ZodObject,
    //   }) as any;
    //   return merged;
    // }
    setKey(key, schema) {
      return this.augment({ [key]: schema });
    }
    // merge<Incoming extends AnyZodObject>(
    //   merging: Incoming
    // ): //ZodObject<T & Incoming["_shape"], UnknownKeys, Catchall> = (merging) => {
    // ZodObject<
    //   extendShape<T, ReturnType<Incoming["_def"]["shape"]>>,
    //   Incoming["_def"]["unknownKeys"],
    //   Incoming["_def"]["catchall"]
    // > {
    //   // const mergedShape = objectUtil.mergeShapes(
    //   //   this._def.shape(),
    //   //   merging._def.shape()
    //   // );
    //   const merged: any = new ZodObject({
    //     unknownKeys: merging._def.unknownKeys,
    //     catchall: merging._def.catchall,
    //     shape: () =>
    //       objectUtil.mergeShapes(this._def.shape(), merging._def.shape()),
    //     typeName: ZodFirstPartyTypeKind.ZodObject,
    //   }) as any;
    //   return merged;
    // }
    catchall(index) {
      return new _ZodObject({
        ...this._def,
        catchall: index
      });
    }
    pick(mask) {
      const shape = {};
      for (const key of util.objectKeys(mask)) {
        if (mask[key] && this.shape[key]) {
          shape[key] = this.shape[key];
        }
      }
      return new _ZodObject({
        ...this._def,
        shape: () => shape
      });
    }
    omit(mask) {
      const shape = {};
      for (const key of util.objectKeys(this.shape)) {
        if (!mask[key]) {
          shape[key] = this.shape[key];
        }
      }
      return new _ZodObject({
        ...this._def,
        shape: () => shape
      });
    }
    /**
     * @deprecated
     */
    deepPartial() {
      return deepPartialify(this);
    }
    partial(mask) {
      const newShape = {};
      for (const key of util.objectKeys(this.shape)) {
        const fieldSchema = this.shape[key];
        if (mask && !mask[key]) {
          newShape[key] = fieldSchema;
        } else {
          newShape[key] = fieldSchema.optional();
        }
      }
      return new _ZodObject({
        ...this._def,
        shape: () => newShape
      });
    }
    required(mask) {
      const newShape = {};
      for (const key of util.objectKeys(this.shape)) {
        if (mask && !mask[key]) {
          newShape[key] = this.shape[key];
        } else {
          const fieldSchema = this.shape[key];
          let newField = fieldSchema;
          while (newField instanceof ZodOptional) {
            newField = newField._def.innerType;
          }
          newShape[key] = newField;
        }
      }
      return new _ZodObject({
        ...this._def,
        shape: () => newShape
      });
    }
    keyof() {
      return createZodEnum(util.objectKeys(this.shape));
    }
  };
  ZodObject.create = (shape, params) => {
    return new ZodObject({
      shape: () => shape,
      unknownKeys: "strip",
      catchall: ZodNever.create(),
      typeName: ZodFirstPartyTypeKind.ZodObject,
      ...processCreateParams(params)
    });
  };
  ZodObject.strictCreate = (shape, params) => {
    return new ZodObject({
      shape: () => shape,
      unknownKeys: "strict",
      catchall: ZodNever.create(),
      typeName: ZodFirstPartyTypeKind.ZodObject,
      ...processCreateParams(params)
    });
  };
  ZodObject.lazycreate = (shape, params) => {
    return new ZodObject({
      shape,
      unknownKeys: "strip",
      catchall: ZodNever.create(),
      typeName: ZodFirstPartyTypeKind.ZodObject,
      ...processCreateParams(params)
    });
  };
  var ZodUnion = class extends ZodType {
    _parse(input) {
      const { ctx } = this._processInputParams(input);
      const options = this._def.options;
      function handleResults(results) {
        for (const result of results) {
          if (result.result.status === "valid") {
            return result.result;
          }
        }
        for (const result of results) {
          if (result.result.status === "dirty") {
            ctx.common.issues.push(...result.ctx.common.issues);
            return result.result;
          }
        }
        const unionErrors = results.map((result) => new ZodError(result.ctx.common.issues));
        addIssueToContext(ctx, {
          code: ZodIssueCode.invalid_union,
          unionErrors
        });
        return INVALID;
      }
      if (ctx.common.async) {
        return Promise.all(options.map(async (option) => {
          const childCtx = {
            ...ctx,
            common: {
              ...ctx.common,
              issues: []
            },
            parent: null
          };
          return {
            result: await option._parseAsync({
              data: ctx.data,
              path: ctx.path,
              parent: childCtx
            }),
            ctx: childCtx
          };
        })).then(handleResults);
      } else {
        let dirty = void 0;
        const issues = [];
        for (const option of options) {
          const childCtx = {
            ...ctx,
            common: {
              ...ctx.common,
              issues: []
            },
            parent: null
          };
          const result = option._parseSync({
            data: ctx.data,
            path: ctx.path,
            parent: childCtx
          });
          if (result.status === "valid") {
            return result;
          } else if (result.status === "dirty" && !dirty) {
            dirty = { result, ctx: childCtx };
          }
          if (childCtx.common.issues.length) {
            issues.push(childCtx.common.issues);
          }
        }
        if (dirty) {
          ctx.common.issues.push(...dirty.ctx.common.issues);
          return dirty.result;
        }
        const unionErrors = issues.map((issues2) => new ZodError(issues2));
        addIssueToContext(ctx, {
          code: ZodIssueCode.invalid_union,
          unionErrors
        });
        return INVALID;
      }
    }
    get options() {
      return this._def.options;
    }
  };
  ZodUnion.create = (types, params) => {
    return new ZodUnion({
      options: types,
      typeName: ZodFirstPartyTypeKind.ZodUnion,
      ...processCreateParams(params)
    });
  };
  var getDiscriminator = (type) => {
    if (type instanceof ZodLazy) {
      return getDiscriminator(type.schema);
    } else if (type instanceof ZodEffects) {
      return getDiscriminator(type.innerType());
    } else if (type instanceof ZodLiteral) {
      return [type.value];
    } else if (type instanceof ZodEnum) {
      return type.options;
    } else if (type instanceof ZodNativeEnum) {
      return util.objectValues(type.enum);
    } else if (type instanceof ZodDefault) {
      return getDiscriminator(type._def.innerType);
    } else if (type instanceof ZodUndefined) {
      return [void 0];
    } else if (type instanceof ZodNull) {
      return [null];
    } else if (type instanceof ZodOptional) {
      return [void 0, ...getDiscriminator(type.unwrap())];
    } else if (type instanceof ZodNullable) {
      return [null, ...getDiscriminator(type.unwrap())];
    } else if (type instanceof ZodBranded) {
      return getDiscriminator(type.unwrap());
    } else if (type instanceof ZodReadonly) {
      return getDiscriminator(type.unwrap());
    } else if (type instanceof ZodCatch) {
      return getDiscriminator(type._def.innerType);
    } else {
      return [];
    }
  };
  var ZodDiscriminatedUnion = class _ZodDiscriminatedUnion extends ZodType {
    _parse(input) {
      const { ctx } = this._processInputParams(input);
      if (ctx.parsedType !== ZodParsedType.object) {
        addIssueToContext(ctx, {
          code: ZodIssueCode.invalid_type,
          expected: ZodParsedType.object,
          received: ctx.parsedType
        });
        return INVALID;
      }
      const discriminator = this.discriminator;
      const discriminatorValue = ctx.data[discriminator];
      const option = this.optionsMap.get(discriminatorValue);
      if (!option) {
        addIssueToContext(ctx, {
          code: ZodIssueCode.invalid_union_discriminator,
          options: Array.from(this.optionsMap.keys()),
          path: [discriminator]
        });
        return INVALID;
      }
      if (ctx.common.async) {
        return option._parseAsync({
          data: ctx.data,
          path: ctx.path,
          parent: ctx
        });
      } else {
        return option._parseSync({
          data: ctx.data,
          path: ctx.path,
          parent: ctx
        });
      }
    }
    get discriminator() {
      return this._def.discriminator;
    }
    get options() {
      return this._def.options;
    }
    get optionsMap() {
      return this._def.optionsMap;
    }
    /**
     * The constructor of the discriminated union schema. Its behaviour is very similar to that of the normal z.union() constructor.
     * However, it only allows a union of objects, all of which need to share a discriminator property. This property must
     * have a different value for each object in the union.
     * @param discriminator the name of the discriminator property
     * @param types an array of object schemas
     * @param params
     */
    static create(discriminator, options, params) {
      const optionsMap = /* @__PURE__ */ new Map();
      for (const type of options) {
        const discriminatorValues = getDiscriminator(type.shape[discriminator]);
        if (!discriminatorValues.length) {
          throw new Error(`A discriminator value for key \`${discriminator}\` could not be extracted from all schema options`);
        }
        for (const value of discriminatorValues) {
          if (optionsMap.has(value)) {
            throw new Error(`Discriminator property ${String(discriminator)} has duplicate value ${String(value)}`);
          }
          optionsMap.set(value, type);
        }
      }
      return new _ZodDiscriminatedUnion({
        typeName: ZodFirstPartyTypeKind.ZodDiscriminatedUnion,
        discriminator,
        options,
        optionsMap,
        ...processCreateParams(params)
      });
    }
  };
  function mergeValues(a, b) {
    const aType = getParsedType(a);
    const bType = getParsedType(b);
    if (a === b) {
      return { valid: true, data: a };
    } else if (aType === ZodParsedType.object && bType === ZodParsedType.object) {
      const bKeys = util.objectKeys(b);
      const sharedKeys = util.objectKeys(a).filter((key) => bKeys.indexOf(key) !== -1);
      const newObj = { ...a, ...b };
      for (const key of sharedKeys) {
        const sharedValue = mergeValues(a[key], b[key]);
        if (!sharedValue.valid) {
          return { valid: false };
        }
        newObj[key] = sharedValue.data;
      }
      return { valid: true, data: newObj };
    } else if (aType === ZodParsedType.array && bType === ZodParsedType.array) {
      if (a.length !== b.length) {
        return { valid: false };
      }
      const newArray = [];
      for (let index = 0; index < a.length; index++) {
        const itemA = a[index];
        const itemB = b[index];
        const sharedValue = mergeValues(itemA, itemB);
        if (!sharedValue.valid) {
          return { valid: false };
        }
        newArray.push(sharedValue.data);
      }
      return { valid: true, data: newArray };
    } else if (aType === ZodParsedType.date && bType === ZodParsedType.date && +a === +b) {
      return { valid: true, data: a };
    } else {
      return { valid: false };
    }
  }
  var ZodIntersection = class extends ZodType {
    _parse(input) {
      const { status, ctx } = this._processInputParams(input);
      const handleParsed = (parsedLeft, parsedRight) => {
        if (isAborted(parsedLeft) || isAborted(parsedRight)) {
          return INVALID;
        }
        const merged = mergeValues(parsedLeft.value, parsedRight.value);
        if (!merged.valid) {
          addIssueToContext(ctx, {
            code: ZodIssueCode.invalid_intersection_types
          });
          return INVALID;
        }
        if (isDirty(parsedLeft) || isDirty(parsedRight)) {
          status.dirty();
        }
        return { status: status.value, value: merged.data };
      };
      if (ctx.common.async) {
        return Promise.all([
          this._def.left._parseAsync({
            data: ctx.data,
            path: ctx.path,
            parent: ctx
          }),
          this._def.right._parseAsync({
            data: ctx.data,
            path: ctx.path,
            parent: ctx
          })
        ]).then(([left, right]) => handleParsed(left, right));
      } else {
        return handleParsed(this._def.left._parseSync({
          data: ctx.data,
          path: ctx.path,
          parent: ctx
        }), this._def.right._parseSync({
          data: ctx.data,
          path: ctx.path,
          parent: ctx
        }));
      }
    }
  };
  ZodIntersection.create = (left, right, params) => {
    return new ZodIntersection({
      left,
      right,
      typeName: ZodFirstPartyTypeKind.ZodIntersection,
      ...processCreateParams(params)
    });
  };
  var ZodTuple = class _ZodTuple extends ZodType {
    _parse(input) {
      const { status, ctx } = this._processInputParams(input);
      if (ctx.parsedType !== ZodParsedType.array) {
        addIssueToContext(ctx, {
          code: ZodIssueCode.invalid_type,
          expected: ZodParsedType.array,
          received: ctx.parsedType
        });
        return INVALID;
      }
      if (ctx.data.length < this._def.items.length) {
        addIssueToContext(ctx, {
          code: ZodIssueCode.too_small,
          minimum: this._def.items.length,
          inclusive: true,
          exact: false,
          type: "array"
        });
        return INVALID;
      }
      const rest = this._def.rest;
      if (!rest && ctx.data.length > this._def.items.length) {
        addIssueToContext(ctx, {
          code: ZodIssueCode.too_big,
          maximum: this._def.items.length,
          inclusive: true,
          exact: false,
          type: "array"
        });
        status.dirty();
      }
      const items = [...ctx.data].map((item, itemIndex) => {
        const schema = this._def.items[itemIndex] || this._def.rest;
        if (!schema)
          return null;
        return schema._parse(new ParseInputLazyPath(ctx, item, ctx.path, itemIndex));
      }).filter((x) => !!x);
      if (ctx.common.async) {
        return Promise.all(items).then((results) => {
          return ParseStatus.mergeArray(status, results);
        });
      } else {
        return ParseStatus.mergeArray(status, items);
      }
    }
    get items() {
      return this._def.items;
    }
    rest(rest) {
      return new _ZodTuple({
        ...this._def,
        rest
      });
    }
  };
  ZodTuple.create = (schemas, params) => {
    if (!Array.isArray(schemas)) {
      throw new Error("You must pass an array of schemas to z.tuple([ ... ])");
    }
    return new ZodTuple({
      items: schemas,
      typeName: ZodFirstPartyTypeKind.ZodTuple,
      rest: null,
      ...processCreateParams(params)
    });
  };
  var ZodRecord = class _ZodRecord extends ZodType {
    get keySchema() {
      return this._def.keyType;
    }
    get valueSchema() {
      return this._def.valueType;
    }
    _parse(input) {
      const { status, ctx } = this._processInputParams(input);
      if (ctx.parsedType !== ZodParsedType.object) {
        addIssueToContext(ctx, {
          code: ZodIssueCode.invalid_type,
          expected: ZodParsedType.object,
          received: ctx.parsedType
        });
        return INVALID;
      }
      const pairs = [];
      const keyType = this._def.keyType;
      const valueType = this._def.valueType;
      for (const key in ctx.data) {
        pairs.push({
          key: keyType._parse(new ParseInputLazyPath(ctx, key, ctx.path, key)),
          value: valueType._parse(new ParseInputLazyPath(ctx, ctx.data[key], ctx.path, key)),
          alwaysSet: key in ctx.data
        });
      }
      if (ctx.common.async) {
        return ParseStatus.mergeObjectAsync(status, pairs);
      } else {
        return ParseStatus.mergeObjectSync(status, pairs);
      }
    }
    get element() {
      return this._def.valueType;
    }
    static create(first, second, third) {
      if (second instanceof ZodType) {
        return new _ZodRecord({
          keyType: first,
          valueType: second,
          typeName: ZodFirstPartyTypeKind.ZodRecord,
          ...processCreateParams(third)
        });
      }
      return new _ZodRecord({
        keyType: ZodString.create(),
        valueType: first,
        typeName: ZodFirstPartyTypeKind.ZodRecord,
        ...processCreateParams(second)
      });
    }
  };
  var ZodMap = class extends ZodType {
    get keySchema() {
      return this._def.keyType;
    }
    get valueSchema() {
      return this._def.valueType;
    }
    _parse(input) {
      const { status, ctx } = this._processInputParams(input);
      if (ctx.parsedType !== ZodParsedType.map) {
        addIssueToContext(ctx, {
          code: ZodIssueCode.invalid_type,
          expected: ZodParsedType.map,
          received: ctx.parsedType
        });
        return INVALID;
      }
      const keyType = this._def.keyType;
      const valueType = this._def.valueType;
      const pairs = [...ctx.data.entries()].map(([key, value], index) => {
        return {
          key: keyType._parse(new ParseInputLazyPath(ctx, key, ctx.path, [index, "key"])),
          value: valueType._parse(new ParseInputLazyPath(ctx, value, ctx.path, [index, "value"]))
        };
      });
      if (ctx.common.async) {
        const finalMap = /* @__PURE__ */ new Map();
        return Promise.resolve().then(async () => {
          for (const pair of pairs) {
            const key = await pair.key;
            const value = await pair.value;
            if (key.status === "aborted" || value.status === "aborted") {
              return INVALID;
            }
            if (key.status === "dirty" || value.status === "dirty") {
              status.dirty();
            }
            finalMap.set(key.value, value.value);
          }
          return { status: status.value, value: finalMap };
        });
      } else {
        const finalMap = /* @__PURE__ */ new Map();
        for (const pair of pairs) {
          const key = pair.key;
          const value = pair.value;
          if (key.status === "aborted" || value.status === "aborted") {
            return INVALID;
          }
          if (key.status === "dirty" || value.status === "dirty") {
            status.dirty();
          }
          finalMap.set(key.value, value.value);
        }
        return { status: status.value, value: finalMap };
      }
    }
  };
  ZodMap.create = (keyType, valueType, params) => {
    return new ZodMap({
      valueType,
      keyType,
      typeName: ZodFirstPartyTypeKind.ZodMap,
      ...processCreateParams(params)
    });
  };
  var ZodSet = class _ZodSet extends ZodType {
    _parse(input) {
      const { status, ctx } = this._processInputParams(input);
      if (ctx.parsedType !== ZodParsedType.set) {
        addIssueToContext(ctx, {
          code: ZodIssueCode.invalid_type,
          expected: ZodParsedType.set,
          received: ctx.parsedType
        });
        return INVALID;
      }
      const def = this._def;
      if (def.minSize !== null) {
        if (ctx.data.size < def.minSize.value) {
          addIssueToContext(ctx, {
            code: ZodIssueCode.too_small,
            minimum: def.minSize.value,
            type: "set",
            inclusive: true,
            exact: false,
            message: def.minSize.message
          });
          status.dirty();
        }
      }
      if (def.maxSize !== null) {
        if (ctx.data.size > def.maxSize.value) {
          addIssueToContext(ctx, {
            code: ZodIssueCode.too_big,
            maximum: def.maxSize.value,
            type: "set",
            inclusive: true,
            exact: false,
            message: def.maxSize.message
          });
          status.dirty();
        }
      }
      const valueType = this._def.valueType;
      function finalizeSet(elements2) {
        const parsedSet = /* @__PURE__ */ new Set();
        for (const element of elements2) {
          if (element.status === "aborted")
            return INVALID;
          if (element.status === "dirty")
            status.dirty();
          parsedSet.add(element.value);
        }
        return { status: status.value, value: parsedSet };
      }
      const elements = [...ctx.data.values()].map((item, i) => valueType._parse(new ParseInputLazyPath(ctx, item, ctx.path, i)));
      if (ctx.common.async) {
        return Promise.all(elements).then((elements2) => finalizeSet(elements2));
      } else {
        return finalizeSet(elements);
      }
    }
    min(minSize, message) {
      return new _ZodSet({
        ...this._def,
        minSize: { value: minSize, message: errorUtil.toString(message) }
      });
    }
    max(maxSize, message) {
      return new _ZodSet({
        ...this._def,
        maxSize: { value: maxSize, message: errorUtil.toString(message) }
      });
    }
    size(size, message) {
      return this.min(size, message).max(size, message);
    }
    nonempty(message) {
      return this.min(1, message);
    }
  };
  ZodSet.create = (valueType, params) => {
    return new ZodSet({
      valueType,
      minSize: null,
      maxSize: null,
      typeName: ZodFirstPartyTypeKind.ZodSet,
      ...processCreateParams(params)
    });
  };
  var ZodFunction = class _ZodFunction extends ZodType {
    constructor() {
      super(...arguments);
      this.validate = this.implement;
    }
    _parse(input) {
      const { ctx } = this._processInputParams(input);
      if (ctx.parsedType !== ZodParsedType.function) {
        addIssueToContext(ctx, {
          code: ZodIssueCode.invalid_type,
          expected: ZodParsedType.function,
          received: ctx.parsedType
        });
        return INVALID;
      }
      function makeArgsIssue(args, error) {
        return makeIssue({
          data: args,
          path: ctx.path,
          errorMaps: [ctx.common.contextualErrorMap, ctx.schemaErrorMap, getErrorMap(), en_default].filter((x) => !!x),
          issueData: {
            code: ZodIssueCode.invalid_arguments,
            argumentsError: error
          }
        });
      }
      function makeReturnsIssue(returns, error) {
        return makeIssue({
          data: returns,
          path: ctx.path,
          errorMaps: [ctx.common.contextualErrorMap, ctx.schemaErrorMap, getErrorMap(), en_default].filter((x) => !!x),
          issueData: {
            code: ZodIssueCode.invalid_return_type,
            returnTypeError: error
          }
        });
      }
      const params = { errorMap: ctx.common.contextualErrorMap };
      const fn = ctx.data;
      if (this._def.returns instanceof ZodPromise) {
        const me = this;
        return OK(async function(...args) {
          const error = new ZodError([]);
          const parsedArgs = await me._def.args.parseAsync(args, params).catch((e) => {
            error.addIssue(makeArgsIssue(args, e));
            throw error;
          });
          const result = await Reflect.apply(fn, this, parsedArgs);
          const parsedReturns = await me._def.returns._def.type.parseAsync(result, params).catch((e) => {
            error.addIssue(makeReturnsIssue(result, e));
            throw error;
          });
          return parsedReturns;
        });
      } else {
        const me = this;
        return OK(function(...args) {
          const parsedArgs = me._def.args.safeParse(args, params);
          if (!parsedArgs.success) {
            throw new ZodError([makeArgsIssue(args, parsedArgs.error)]);
          }
          const result = Reflect.apply(fn, this, parsedArgs.data);
          const parsedReturns = me._def.returns.safeParse(result, params);
          if (!parsedReturns.success) {
            throw new ZodError([makeReturnsIssue(result, parsedReturns.error)]);
          }
          return parsedReturns.data;
        });
      }
    }
    parameters() {
      return this._def.args;
    }
    returnType() {
      return this._def.returns;
    }
    args(...items) {
      return new _ZodFunction({
        ...this._def,
        args: ZodTuple.create(items).rest(ZodUnknown.create())
      });
    }
    returns(returnType) {
      return new _ZodFunction({
        ...this._def,
        returns: returnType
      });
    }
    implement(func) {
      const validatedFunc = this.parse(func);
      return validatedFunc;
    }
    strictImplement(func) {
      const validatedFunc = this.parse(func);
      return validatedFunc;
    }
    static create(args, returns, params) {
      return new _ZodFunction({
        args: args ? args : ZodTuple.create([]).rest(ZodUnknown.create()),
        returns: returns || ZodUnknown.create(),
        typeName: ZodFirstPartyTypeKind.ZodFunction,
        ...processCreateParams(params)
      });
    }
  };
  var ZodLazy = class extends ZodType {
    get schema() {
      return this._def.getter();
    }
    _parse(input) {
      const { ctx } = this._processInputParams(input);
      const lazySchema = this._def.getter();
      return lazySchema._parse({ data: ctx.data, path: ctx.path, parent: ctx });
    }
  };
  ZodLazy.create = (getter, params) => {
    return new ZodLazy({
      getter,
      typeName: ZodFirstPartyTypeKind.ZodLazy,
      ...processCreateParams(params)
    });
  };
  var ZodLiteral = class extends ZodType {
    _parse(input) {
      if (input.data !== this._def.value) {
        const ctx = this._getOrReturnCtx(input);
        addIssueToContext(ctx, {
          received: ctx.data,
          code: ZodIssueCode.invalid_literal,
          expected: this._def.value
        });
        return INVALID;
      }
      return { status: "valid", value: input.data };
    }
    get value() {
      return this._def.value;
    }
  };
  ZodLiteral.create = (value, params) => {
    return new ZodLiteral({
      value,
      typeName: ZodFirstPartyTypeKind.ZodLiteral,
      ...processCreateParams(params)
    });
  };
  function createZodEnum(values, params) {
    return new ZodEnum({
      values,
      typeName: ZodFirstPartyTypeKind.ZodEnum,
      ...processCreateParams(params)
    });
  }
  var ZodEnum = class _ZodEnum extends ZodType {
    _parse(input) {
      if (typeof input.data !== "string") {
        const ctx = this._getOrReturnCtx(input);
        const expectedValues = this._def.values;
        addIssueToContext(ctx, {
          expected: util.joinValues(expectedValues),
          received: ctx.parsedType,
          code: ZodIssueCode.invalid_type
        });
        return INVALID;
      }
      if (!this._cache) {
        this._cache = new Set(this._def.values);
      }
      if (!this._cache.has(input.data)) {
        const ctx = this._getOrReturnCtx(input);
        const expectedValues = this._def.values;
        addIssueToContext(ctx, {
          received: ctx.data,
          code: ZodIssueCode.invalid_enum_value,
          options: expectedValues
        });
        return INVALID;
      }
      return OK(input.data);
    }
    get options() {
      return this._def.values;
    }
    get enum() {
      const enumValues = {};
      for (const val of this._def.values) {
        enumValues[val] = val;
      }
      return enumValues;
    }
    get Values() {
      const enumValues = {};
      for (const val of this._def.values) {
        enumValues[val] = val;
      }
      return enumValues;
    }
    get Enum() {
      const enumValues = {};
      for (const val of this._def.values) {
        enumValues[val] = val;
      }
      return enumValues;
    }
    extract(values, newDef = this._def) {
      return _ZodEnum.create(values, {
        ...this._def,
        ...newDef
      });
    }
    exclude(values, newDef = this._def) {
      return _ZodEnum.create(this.options.filter((opt) => !values.includes(opt)), {
        ...this._def,
        ...newDef
      });
    }
  };
  ZodEnum.create = createZodEnum;
  var ZodNativeEnum = class extends ZodType {
    _parse(input) {
      const nativeEnumValues = util.getValidEnumValues(this._def.values);
      const ctx = this._getOrReturnCtx(input);
      if (ctx.parsedType !== ZodParsedType.string && ctx.parsedType !== ZodParsedType.number) {
        const expectedValues = util.objectValues(nativeEnumValues);
        addIssueToContext(ctx, {
          expected: util.joinValues(expectedValues),
          received: ctx.parsedType,
          code: ZodIssueCode.invalid_type
        });
        return INVALID;
      }
      if (!this._cache) {
        this._cache = new Set(util.getValidEnumValues(this._def.values));
      }
      if (!this._cache.has(input.data)) {
        const expectedValues = util.objectValues(nativeEnumValues);
        addIssueToContext(ctx, {
          received: ctx.data,
          code: ZodIssueCode.invalid_enum_value,
          options: expectedValues
        });
        return INVALID;
      }
      return OK(input.data);
    }
    get enum() {
      return this._def.values;
    }
  };
  ZodNativeEnum.create = (values, params) => {
    return new ZodNativeEnum({
      values,
      typeName: ZodFirstPartyTypeKind.ZodNativeEnum,
      ...processCreateParams(params)
    });
  };
  var ZodPromise = class extends ZodType {
    unwrap() {
      return this._def.type;
    }
    _parse(input) {
      const { ctx } = this._processInputParams(input);
      if (ctx.parsedType !== ZodParsedType.promise && ctx.common.async === false) {
        addIssueToContext(ctx, {
          code: ZodIssueCode.invalid_type,
          expected: ZodParsedType.promise,
          received: ctx.parsedType
        });
        return INVALID;
      }
      const promisified = ctx.parsedType === ZodParsedType.promise ? ctx.data : Promise.resolve(ctx.data);
      return OK(promisified.then((data) => {
        return this._def.type.parseAsync(data, {
          path: ctx.path,
          errorMap: ctx.common.contextualErrorMap
        });
      }));
    }
  };
  ZodPromise.create = (schema, params) => {
    return new ZodPromise({
      type: schema,
      typeName: ZodFirstPartyTypeKind.ZodPromise,
      ...processCreateParams(params)
    });
  };
  var ZodEffects = class extends ZodType {
    innerType() {
      return this._def.schema;
    }
    sourceType() {
      return this._def.schema._def.typeName === ZodFirstPartyTypeKind.ZodEffects ? this._def.schema.sourceType() : this._def.schema;
    }
    _parse(input) {
      const { status, ctx } = this._processInputParams(input);
      const effect = this._def.effect || null;
      const checkCtx = {
        addIssue: (arg) => {
          addIssueToContext(ctx, arg);
          if (arg.fatal) {
            status.abort();
          } else {
            status.dirty();
          }
        },
        get path() {
          return ctx.path;
        }
      };
      checkCtx.addIssue = checkCtx.addIssue.bind(checkCtx);
      if (effect.type === "preprocess") {
        const processed = effect.transform(ctx.data, checkCtx);
        if (ctx.common.async) {
          return Promise.resolve(processed).then(async (processed2) => {
            if (status.value === "aborted")
              return INVALID;
            const result = await this._def.schema._parseAsync({
              data: processed2,
              path: ctx.path,
              parent: ctx
            });
            if (result.status === "aborted")
              return INVALID;
            if (result.status === "dirty")
              return DIRTY(result.value);
            if (status.value === "dirty")
              return DIRTY(result.value);
            return result;
          });
        } else {
          if (status.value === "aborted")
            return INVALID;
          const result = this._def.schema._parseSync({
            data: processed,
            path: ctx.path,
            parent: ctx
          });
          if (result.status === "aborted")
            return INVALID;
          if (result.status === "dirty")
            return DIRTY(result.value);
          if (status.value === "dirty")
            return DIRTY(result.value);
          return result;
        }
      }
      if (effect.type === "refinement") {
        const executeRefinement = (acc) => {
          const result = effect.refinement(acc, checkCtx);
          if (ctx.common.async) {
            return Promise.resolve(result);
          }
          if (result instanceof Promise) {
            throw new Error("Async refinement encountered during synchronous parse operation. Use .parseAsync instead.");
          }
          return acc;
        };
        if (ctx.common.async === false) {
          const inner = this._def.schema._parseSync({
            data: ctx.data,
            path: ctx.path,
            parent: ctx
          });
          if (inner.status === "aborted")
            return INVALID;
          if (inner.status === "dirty")
            status.dirty();
          executeRefinement(inner.value);
          return { status: status.value, value: inner.value };
        } else {
          return this._def.schema._parseAsync({ data: ctx.data, path: ctx.path, parent: ctx }).then((inner) => {
            if (inner.status === "aborted")
              return INVALID;
            if (inner.status === "dirty")
              status.dirty();
            return executeRefinement(inner.value).then(() => {
              return { status: status.value, value: inner.value };
            });
          });
        }
      }
      if (effect.type === "transform") {
        if (ctx.common.async === false) {
          const base = this._def.schema._parseSync({
            data: ctx.data,
            path: ctx.path,
            parent: ctx
          });
          if (!isValid(base))
            return INVALID;
          const result = effect.transform(base.value, checkCtx);
          if (result instanceof Promise) {
            throw new Error(`Asynchronous transform encountered during synchronous parse operation. Use .parseAsync instead.`);
          }
          return { status: status.value, value: result };
        } else {
          return this._def.schema._parseAsync({ data: ctx.data, path: ctx.path, parent: ctx }).then((base) => {
            if (!isValid(base))
              return INVALID;
            return Promise.resolve(effect.transform(base.value, checkCtx)).then((result) => ({
              status: status.value,
              value: result
            }));
          });
        }
      }
      util.assertNever(effect);
    }
  };
  ZodEffects.create = (schema, effect, params) => {
    return new ZodEffects({
      schema,
      typeName: ZodFirstPartyTypeKind.ZodEffects,
      effect,
      ...processCreateParams(params)
    });
  };
  ZodEffects.createWithPreprocess = (preprocess, schema, params) => {
    return new ZodEffects({
      schema,
      effect: { type: "preprocess", transform: preprocess },
      typeName: ZodFirstPartyTypeKind.ZodEffects,
      ...processCreateParams(params)
    });
  };
  var ZodOptional = class extends ZodType {
    _parse(input) {
      const parsedType = this._getType(input);
      if (parsedType === ZodParsedType.undefined) {
        return OK(void 0);
      }
      return this._def.innerType._parse(input);
    }
    unwrap() {
      return this._def.innerType;
    }
  };
  ZodOptional.create = (type, params) => {
    return new ZodOptional({
      innerType: type,
      typeName: ZodFirstPartyTypeKind.ZodOptional,
      ...processCreateParams(params)
    });
  };
  var ZodNullable = class extends ZodType {
    _parse(input) {
      const parsedType = this._getType(input);
      if (parsedType === ZodParsedType.null) {
        return OK(null);
      }
      return this._def.innerType._parse(input);
    }
    unwrap() {
      return this._def.innerType;
    }
  };
  ZodNullable.create = (type, params) => {
    return new ZodNullable({
      innerType: type,
      typeName: ZodFirstPartyTypeKind.ZodNullable,
      ...processCreateParams(params)
    });
  };
  var ZodDefault = class extends ZodType {
    _parse(input) {
      const { ctx } = this._processInputParams(input);
      let data = ctx.data;
      if (ctx.parsedType === ZodParsedType.undefined) {
        data = this._def.defaultValue();
      }
      return this._def.innerType._parse({
        data,
        path: ctx.path,
        parent: ctx
      });
    }
    removeDefault() {
      return this._def.innerType;
    }
  };
  ZodDefault.create = (type, params) => {
    return new ZodDefault({
      innerType: type,
      typeName: ZodFirstPartyTypeKind.ZodDefault,
      defaultValue: typeof params.default === "function" ? params.default : () => params.default,
      ...processCreateParams(params)
    });
  };
  var ZodCatch = class extends ZodType {
    _parse(input) {
      const { ctx } = this._processInputParams(input);
      const newCtx = {
        ...ctx,
        common: {
          ...ctx.common,
          issues: []
        }
      };
      const result = this._def.innerType._parse({
        data: newCtx.data,
        path: newCtx.path,
        parent: {
          ...newCtx
        }
      });
      if (isAsync(result)) {
        return result.then((result2) => {
          return {
            status: "valid",
            value: result2.status === "valid" ? result2.value : this._def.catchValue({
              get error() {
                return new ZodError(newCtx.common.issues);
              },
              input: newCtx.data
            })
          };
        });
      } else {
        return {
          status: "valid",
          value: result.status === "valid" ? result.value : this._def.catchValue({
            get error() {
              return new ZodError(newCtx.common.issues);
            },
            input: newCtx.data
          })
        };
      }
    }
    removeCatch() {
      return this._def.innerType;
    }
  };
  ZodCatch.create = (type, params) => {
    return new ZodCatch({
      innerType: type,
      typeName: ZodFirstPartyTypeKind.ZodCatch,
      catchValue: typeof params.catch === "function" ? params.catch : () => params.catch,
      ...processCreateParams(params)
    });
  };
  var ZodNaN = class extends ZodType {
    _parse(input) {
      const parsedType = this._getType(input);
      if (parsedType !== ZodParsedType.nan) {
        const ctx = this._getOrReturnCtx(input);
        addIssueToContext(ctx, {
          code: ZodIssueCode.invalid_type,
          expected: ZodParsedType.nan,
          received: ctx.parsedType
        });
        return INVALID;
      }
      return { status: "valid", value: input.data };
    }
  };
  ZodNaN.create = (params) => {
    return new ZodNaN({
      typeName: ZodFirstPartyTypeKind.ZodNaN,
      ...processCreateParams(params)
    });
  };
  var BRAND = /* @__PURE__ */ Symbol("zod_brand");
  var ZodBranded = class extends ZodType {
    _parse(input) {
      const { ctx } = this._processInputParams(input);
      const data = ctx.data;
      return this._def.type._parse({
        data,
        path: ctx.path,
        parent: ctx
      });
    }
    unwrap() {
      return this._def.type;
    }
  };
  var ZodPipeline = class _ZodPipeline extends ZodType {
    _parse(input) {
      const { status, ctx } = this._processInputParams(input);
      if (ctx.common.async) {
        const handleAsync = async () => {
          const inResult = await this._def.in._parseAsync({
            data: ctx.data,
            path: ctx.path,
            parent: ctx
          });
          if (inResult.status === "aborted")
            return INVALID;
          if (inResult.status === "dirty") {
            status.dirty();
            return DIRTY(inResult.value);
          } else {
            return this._def.out._parseAsync({
              data: inResult.value,
              path: ctx.path,
              parent: ctx
            });
          }
        };
        return handleAsync();
      } else {
        const inResult = this._def.in._parseSync({
          data: ctx.data,
          path: ctx.path,
          parent: ctx
        });
        if (inResult.status === "aborted")
          return INVALID;
        if (inResult.status === "dirty") {
          status.dirty();
          return {
            status: "dirty",
            value: inResult.value
          };
        } else {
          return this._def.out._parseSync({
            data: inResult.value,
            path: ctx.path,
            parent: ctx
          });
        }
      }
    }
    static create(a, b) {
      return new _ZodPipeline({
        in: a,
        out: b,
        typeName: ZodFirstPartyTypeKind.ZodPipeline
      });
    }
  };
  var ZodReadonly = class extends ZodType {
    _parse(input) {
      const result = this._def.innerType._parse(input);
      const freeze = (data) => {
        if (isValid(data)) {
          data.value = Object.freeze(data.value);
        }
        return data;
      };
      return isAsync(result) ? result.then((data) => freeze(data)) : freeze(result);
    }
    unwrap() {
      return this._def.innerType;
    }
  };
  ZodReadonly.create = (type, params) => {
    return new ZodReadonly({
      innerType: type,
      typeName: ZodFirstPartyTypeKind.ZodReadonly,
      ...processCreateParams(params)
    });
  };
  function cleanParams(params, data) {
    const p = typeof params === "function" ? params(data) : typeof params === "string" ? { message: params } : params;
    const p2 = typeof p === "string" ? { message: p } : p;
    return p2;
  }
  function custom(check, _params = {}, fatal) {
    if (check)
      return ZodAny.create().superRefine((data, ctx) => {
        const r = check(data);
        if (r instanceof Promise) {
          return r.then((r2) => {
            if (!r2) {
              const params = cleanParams(_params, data);
              const _fatal = params.fatal ?? fatal ?? true;
              ctx.addIssue({ code: "custom", ...params, fatal: _fatal });
            }
          });
        }
        if (!r) {
          const params = cleanParams(_params, data);
          const _fatal = params.fatal ?? fatal ?? true;
          ctx.addIssue({ code: "custom", ...params, fatal: _fatal });
        }
        return;
      });
    return ZodAny.create();
  }
  var late = {
    object: ZodObject.lazycreate
  };
  var ZodFirstPartyTypeKind;
  (function(ZodFirstPartyTypeKind2) {
    ZodFirstPartyTypeKind2["ZodString"] = "ZodString";
    ZodFirstPartyTypeKind2["ZodNumber"] = "ZodNumber";
    ZodFirstPartyTypeKind2["ZodNaN"] = "ZodNaN";
    ZodFirstPartyTypeKind2["ZodBigInt"] = "ZodBigInt";
    ZodFirstPartyTypeKind2["ZodBoolean"] = "ZodBoolean";
    ZodFirstPartyTypeKind2["ZodDate"] = "ZodDate";
    ZodFirstPartyTypeKind2["ZodSymbol"] = "ZodSymbol";
    ZodFirstPartyTypeKind2["ZodUndefined"] = "ZodUndefined";
    ZodFirstPartyTypeKind2["ZodNull"] = "ZodNull";
    ZodFirstPartyTypeKind2["ZodAny"] = "ZodAny";
    ZodFirstPartyTypeKind2["ZodUnknown"] = "ZodUnknown";
    ZodFirstPartyTypeKind2["ZodNever"] = "ZodNever";
    ZodFirstPartyTypeKind2["ZodVoid"] = "ZodVoid";
    ZodFirstPartyTypeKind2["ZodArray"] = "ZodArray";
    ZodFirstPartyTypeKind2["ZodObject"] = "ZodObject";
    ZodFirstPartyTypeKind2["ZodUnion"] = "ZodUnion";
    ZodFirstPartyTypeKind2["ZodDiscriminatedUnion"] = "ZodDiscriminatedUnion";
    ZodFirstPartyTypeKind2["ZodIntersection"] = "ZodIntersection";
    ZodFirstPartyTypeKind2["ZodTuple"] = "ZodTuple";
    ZodFirstPartyTypeKind2["ZodRecord"] = "ZodRecord";
    ZodFirstPartyTypeKind2["ZodMap"] = "ZodMap";
    ZodFirstPartyTypeKind2["ZodSet"] = "ZodSet";
    ZodFirstPartyTypeKind2["ZodFunction"] = "ZodFunction";
    ZodFirstPartyTypeKind2["ZodLazy"] = "ZodLazy";
    ZodFirstPartyTypeKind2["ZodLiteral"] = "ZodLiteral";
    ZodFirstPartyTypeKind2["ZodEnum"] = "ZodEnum";
    ZodFirstPartyTypeKind2["ZodEffects"] = "ZodEffects";
    ZodFirstPartyTypeKind2["ZodNativeEnum"] = "ZodNativeEnum";
    ZodFirstPartyTypeKind2["ZodOptional"] = "ZodOptional";
    ZodFirstPartyTypeKind2["ZodNullable"] = "ZodNullable";
    ZodFirstPartyTypeKind2["ZodDefault"] = "ZodDefault";
    ZodFirstPartyTypeKind2["ZodCatch"] = "ZodCatch";
    ZodFirstPartyTypeKind2["ZodPromise"] = "ZodPromise";
    ZodFirstPartyTypeKind2["ZodBranded"] = "ZodBranded";
    ZodFirstPartyTypeKind2["ZodPipeline"] = "ZodPipeline";
    ZodFirstPartyTypeKind2["ZodReadonly"] = "ZodReadonly";
  })(ZodFirstPartyTypeKind || (ZodFirstPartyTypeKind = {}));
  var instanceOfType = (cls, params = {
    message: `Input not instance of ${cls.name}`
  }) => custom((data) => data instanceof cls, params);
  var stringType = ZodString.create;
  var numberType = ZodNumber.create;
  var nanType = ZodNaN.create;
  var bigIntType = ZodBigInt.create;
  var booleanType = ZodBoolean.create;
  var dateType = ZodDate.create;
  var symbolType = ZodSymbol.create;
  var undefinedType = ZodUndefined.create;
  var nullType = ZodNull.create;
  var anyType = ZodAny.create;
  var unknownType = ZodUnknown.create;
  var neverType = ZodNever.create;
  var voidType = ZodVoid.create;
  var arrayType = ZodArray.create;
  var objectType = ZodObject.create;
  var strictObjectType = ZodObject.strictCreate;
  var unionType = ZodUnion.create;
  var discriminatedUnionType = ZodDiscriminatedUnion.create;
  var intersectionType = ZodIntersection.create;
  var tupleType = ZodTuple.create;
  var recordType = ZodRecord.create;
  var mapType = ZodMap.create;
  var setType = ZodSet.create;
  var functionType = ZodFunction.create;
  var lazyType = ZodLazy.create;
  var literalType = ZodLiteral.create;
  var enumType = ZodEnum.create;
  var nativeEnumType = ZodNativeEnum.create;
  var promiseType = ZodPromise.create;
  var effectsType = ZodEffects.create;
  var optionalType = ZodOptional.create;
  var nullableType = ZodNullable.create;
  var preprocessType = ZodEffects.createWithPreprocess;
  var pipelineType = ZodPipeline.create;
  var ostring = () => stringType().optional();
  var onumber = () => numberType().optional();
  var oboolean = () => booleanType().optional();
  var coerce = {
    string: ((arg) => ZodString.create({ ...arg, coerce: true })),
    number: ((arg) => ZodNumber.create({ ...arg, coerce: true })),
    boolean: ((arg) => ZodBoolean.create({
      ...arg,
      coerce: true
    })),
    bigint: ((arg) => ZodBigInt.create({ ...arg, coerce: true })),
    date: ((arg) => ZodDate.create({ ...arg, coerce: true }))
  };
  var NEVER = INVALID;

  // functions/engine/encoding.ts
  function utf8Length(text) {
    let bytes = 0;
    for (let i = 0; i < text.length; i++) {
      const code = text.charCodeAt(i);
      if (code < 128) bytes += 1;
      else if (code < 2048) bytes += 2;
      else if (code >= 55296 && code <= 56319 && i + 1 < text.length && (text.charCodeAt(i + 1) & 64512) === 56320) {
        bytes += 4;
        i++;
      } else bytes += 3;
    }
    return bytes;
  }
  function utf8Encode(text) {
    const out = [];
    for (let i = 0; i < text.length; i++) {
      let code = text.charCodeAt(i);
      if (code >= 55296 && code <= 56319 && i + 1 < text.length) {
        const low = text.charCodeAt(i + 1);
        if (low >= 56320 && low <= 57343) {
          code = 65536 + (code - 55296 << 10) + (low - 56320);
          i++;
        }
      }
      if (code < 128) out.push(code);
      else if (code < 2048) out.push(192 | code >> 6, 128 | code & 63);
      else if (code < 65536) out.push(224 | code >> 12, 128 | code >> 6 & 63, 128 | code & 63);
      else out.push(240 | code >> 18, 128 | code >> 12 & 63, 128 | code >> 6 & 63, 128 | code & 63);
    }
    return Uint8Array.from(out);
  }
  function utf8Decode(bytes) {
    let out = "";
    for (let i = 0; i < bytes.length; ) {
      const b0 = bytes[i];
      let code;
      let extra;
      if (b0 < 128) {
        code = b0;
        extra = 0;
      } else if ((b0 & 224) === 192) {
        code = b0 & 31;
        extra = 1;
      } else if ((b0 & 240) === 224) {
        code = b0 & 15;
        extra = 2;
      } else if ((b0 & 248) === 240) {
        code = b0 & 7;
        extra = 3;
      } else return null;
      for (let k = 1; k <= extra; k++) {
        const b = bytes[i + k];
        if (b === void 0 || (b & 192) !== 128) return null;
        code = code << 6 | b & 63;
      }
      i += extra + 1;
      const smallest = extra === 1 ? 128 : extra === 2 ? 2048 : extra === 3 ? 65536 : 0;
      if (code < smallest || code > 1114111) return null;
      if (code >= 65536) {
        const v = code - 65536;
        out += String.fromCharCode(55296 + (v >> 10), 56320 + (v & 1023));
      } else {
        out += String.fromCharCode(code);
      }
    }
    return out;
  }
  var ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  function base64UrlEncode(bytes) {
    let out = "";
    for (let i = 0; i < bytes.length; i += 3) {
      const a = bytes[i];
      const b = bytes[i + 1];
      const c = bytes[i + 2];
      out += ALPHABET[a >> 2];
      out += ALPHABET[(a & 3) << 4 | (b ?? 0) >> 4];
      if (b !== void 0) out += ALPHABET[(b & 15) << 2 | (c ?? 0) >> 6];
      if (c !== void 0) out += ALPHABET[c & 63];
    }
    return out;
  }
  function base64UrlDecode(text) {
    if (text.length % 4 === 1) return null;
    const out = [];
    let buffer = 0;
    let bits = 0;
    for (let i = 0; i < text.length; i++) {
      const value = ALPHABET.indexOf(text.charAt(i));
      if (value < 0) return null;
      buffer = buffer << 6 | value;
      bits += 6;
      if (bits >= 8) {
        bits -= 8;
        out.push(buffer >> bits & 255);
      }
    }
    return Uint8Array.from(out);
  }

  // functions/falcon/streams.ts
  var STREAM_NAMES = [
    "alerts",
    "alert-ids",
    "iocs",
    "intel-indicators",
    "hosts",
    "hosts-scroll",
    "vulnerabilities"
  ];
  var DEFAULT_STREAM_NAMES = STREAM_NAMES.filter((name) => name !== "hosts-scroll");
  var STREAMS = {
    alerts: {
      name: "alerts",
      method: "POST",
      path: "/alerts/combined/alerts/v1",
      style: "after-body",
      maxLimit: 1e3,
      pageLimit: 1e3,
      depthCap: null,
      depthCapStatus: null,
      sortSeparator: "|",
      watermarkField: "created_timestamp",
      watermarkKind: "iso",
      idField: "composite_id",
      afterToken: { param: "after", field: "after" },
      hydrate: null,
      filterRequired: false,
      documentedCursorTtlMs: null,
      scope: "Alerts: Read",
      scopeId: "alerts:read",
      poweredBy: "detectsapi",
      typicalItemBytes: 1700,
      watermarkClock: "iso"
    },
    "alert-ids": {
      name: "alert-ids",
      method: "GET",
      path: "/alerts/queries/alerts/v2",
      style: "offset",
      maxLimit: 1e4,
      pageLimit: 1e4,
      depthCap: 1e4,
      depthCapStatus: 500,
      sortSeparator: "|",
      watermarkField: "created_timestamp",
      watermarkKind: "iso",
      idField: "composite_id",
      afterToken: null,
      hydrate: { method: "POST", path: "/alerts/entities/alerts/v2", idsKey: "composite_ids", maxIds: 1e3 },
      filterRequired: false,
      documentedCursorTtlMs: null,
      scope: "Alerts: Read",
      scopeId: "alerts:read",
      poweredBy: "detectsapi",
      typicalItemBytes: 1700,
      watermarkClock: "iso"
    },
    iocs: {
      name: "iocs",
      method: "GET",
      path: "/iocs/combined/indicator/v1",
      style: "after-query",
      maxLimit: 2e3,
      pageLimit: 2e3,
      depthCap: null,
      depthCapStatus: null,
      sortSeparator: ".",
      watermarkField: "created_on",
      watermarkKind: "iso",
      idField: "id",
      afterToken: { param: "after", field: "after" },
      hydrate: null,
      filterRequired: false,
      documentedCursorTtlMs: null,
      scope: "IOC Management: Read",
      scopeId: "iocs:read",
      poweredBy: "ioc-manager",
      typicalItemBytes: 450,
      watermarkClock: "iso"
    },
    "intel-indicators": {
      name: "intel-indicators",
      method: "GET",
      path: "/intel/combined/indicators/v1",
      style: "marker",
      maxLimit: 5e3,
      pageLimit: 5e3,
      depthCap: 49999,
      depthCapStatus: 400,
      sortSeparator: "|",
      watermarkField: "_marker",
      watermarkKind: "string",
      idField: "id",
      afterToken: null,
      hydrate: null,
      filterRequired: false,
      documentedCursorTtlMs: null,
      scope: "Indicators (Falcon Intelligence): Read",
      scopeId: "falconx-indicators:read",
      poweredBy: "msa-api",
      typicalItemBytes: 500,
      watermarkClock: "marker"
    },
    hosts: {
      name: "hosts",
      method: "GET",
      // Full device records, no entities call. The token of the next page comes back as meta.pagination.next
      // and is sent as `offset` (falcon-api.md §3.2, FalconPy CombinedDevicesByFilter, falconjs DeviceapiDevicePagingV2).
      path: "/devices/combined/devices/v1",
      style: "after-query",
      maxLimit: 1e4,
      pageLimit: 1e4,
      depthCap: null,
      depthCapStatus: null,
      sortSeparator: ".",
      watermarkField: "first_seen",
      watermarkKind: "iso",
      idField: "device_id",
      afterToken: { param: "offset", field: "next" },
      hydrate: null,
      filterRequired: false,
      // Whether and when `next` expires is UNVERIFIED (the schema has an expires_at of unknown unit): the
      // engine assumes its conservative default, and the sandbox's cursorTtlMs knob plays it.
      documentedCursorTtlMs: null,
      scope: "Hosts: Read",
      scopeId: "devices:read",
      poweredBy: "device-api",
      typicalItemBytes: 700,
      watermarkClock: "iso"
    },
    "hosts-scroll": {
      name: "hosts-scroll",
      method: "GET",
      path: "/devices/queries/devices-scroll/v1",
      style: "scroll",
      maxLimit: 1e4,
      pageLimit: 1e4,
      depthCap: null,
      depthCapStatus: null,
      sortSeparator: ".",
      // The route hosts used before FalconPy marked it deprecated ("Please use the CombinedDevicesByFilter
      // endpoint"): kept for tenants where the combined route is not available. first_seen never changes
      // for a host, so it carries the watermark a restart of the scroll needs.
      watermarkField: "first_seen",
      watermarkKind: "iso",
      idField: "device_id",
      afterToken: null,
      hydrate: { method: "POST", path: "/devices/entities/devices/v2", idsKey: "ids", maxIds: 5e3 },
      filterRequired: false,
      documentedCursorTtlMs: 12e4,
      scope: "Hosts: Read",
      scopeId: "devices:read",
      poweredBy: "device-api",
      typicalItemBytes: 700,
      watermarkClock: "iso"
    },
    vulnerabilities: {
      name: "vulnerabilities",
      method: "GET",
      path: "/spotlight/combined/vulnerabilities/v1",
      style: "after-query",
      maxLimit: 5e3,
      pageLimit: 5e3,
      depthCap: null,
      depthCapStatus: null,
      sortSeparator: "|",
      watermarkField: "created_timestamp",
      watermarkKind: "iso",
      idField: "id",
      afterToken: { param: "after", field: "after" },
      hydrate: null,
      filterRequired: true,
      documentedCursorTtlMs: 12e4,
      scope: "Vulnerabilities: Read",
      scopeId: "spotlight-vulnerabilities:read",
      poweredBy: "spapi",
      typicalItemBytes: 600,
      watermarkClock: "iso"
    }
  };
  var RETIRED_STREAMS = {
    detections: {
      routes: "GET /detects/queries/detects/v1 and POST /detects/entities/summaries/GET/v1",
      retiredOn: "September 30, 2025",
      replacement: "alerts"
    }
  };
  function retiredStreamMessage(name) {
    const retired = Object.hasOwn(RETIRED_STREAMS, name) ? RETIRED_STREAMS[name] : void 0;
    if (retired === void 0) return null;
    return `The ${name} API (${retired.routes}) was decommissioned on ${retired.retiredOn}; export "${retired.replacement}" instead, which replaced it.`;
  }
  function isStreamName(value) {
    return STREAM_NAMES.includes(value);
  }
  function afterTokenOf(spec) {
    return spec.afterToken ?? { param: "after", field: "after" };
  }
  function ascendingSort(spec) {
    return `${spec.watermarkField}${spec.sortSeparator}asc`;
  }
  function watermarkAtTime(spec, serverMs) {
    if (!Number.isFinite(serverMs)) return null;
    switch (spec.watermarkClock) {
      case "iso":
        return new Date(serverMs).toISOString();
      case "marker":
        return `${String(Math.floor(serverMs / 1e3)).padStart(10, "0")}~`;
      case null:
        return null;
      default: {
        const unknownClock = spec.watermarkClock;
        throw new Error(`Unexpected watermark clock: ${String(unknownClock)}.`);
      }
    }
  }
  function maxPageSize(spec) {
    return spec.depthCap === null ? spec.maxLimit : Math.min(spec.maxLimit, spec.depthCap);
  }

  // functions/engine/EngineError.ts
  var CATEGORY_OF = {
    INPUT_INVALID: "input",
    STREAM_UNKNOWN: "input",
    STREAM_DECOMMISSIONED: "input",
    FILTER_INVALID: "input",
    CHECKPOINT_MALFORMED: "input",
    CHECKPOINT_TAMPERED: "input",
    CHECKPOINT_FOREIGN_KEY: "input",
    CHECKPOINT_VERSION: "input",
    CHECKPOINT_FOREIGN_STREAM: "input",
    CHECKPOINT_FOREIGN_FILTER: "input",
    CHECKPOINT_FOREIGN_SESSION: "input",
    AUTH_FAILED: "api",
    SCOPE_MISSING: "api",
    FILTER_REJECTED: "api",
    ENDPOINT_NOT_FOUND: "api",
    RETRIES_EXHAUSTED: "api",
    RATE_LIMIT_EXHAUSTED: "api",
    ERRORS_IN_200: "api",
    NON_JSON_BODY: "api",
    SCHEMA_MISMATCH: "api",
    NO_PROGRESS: "api",
    RECORD_TOO_LARGE: "api",
    UNEXPECTED_STATUS: "api",
    API_REDIRECTED: "api",
    ORDER_VIOLATED: "api",
    INGEST_FAILED: "api",
    INGEST_REFUSED: "api",
    INGEST_RECORD_TOO_LARGE: "api",
    PROTOCOL: "internal"
  };
  function categoryOf(code) {
    return CATEGORY_OF[code];
  }
  var RETRYABLE = /* @__PURE__ */ new Set([
    "AUTH_FAILED",
    "RETRIES_EXHAUSTED",
    "RATE_LIMIT_EXHAUSTED",
    "ERRORS_IN_200",
    "NON_JSON_BODY",
    "UNEXPECTED_STATUS",
    "NO_PROGRESS",
    "INGEST_FAILED"
  ]);
  function retryableFailure(code) {
    return RETRYABLE.has(code);
  }
  function engineError(code, message, context = {}, cause) {
    return cause ? { code, category: categoryOf(code), message, context, cause } : { code, category: categoryOf(code), message, context };
  }

  // functions/engine/KeyRange.ts
  function compareValues(a, b) {
    if (typeof a === "number" && typeof b === "number") return a - b;
    const sa = String(a);
    const sb = String(b);
    return sa < sb ? -1 : sa > sb ? 1 : 0;
  }
  function compareKeys(a, b) {
    return compareValues(a.value, b.value) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  }
  var EVERYTHING = [{ from: null, to: null }];
  function inRanges(ranges, value, id) {
    return ranges.some((range) => inRange(range, value, id));
  }
  function inRange(range, value, id) {
    if (range.from) {
      const c = compareValues(value, range.from.value);
      if (c < 0 || c === 0 && range.from.ids.includes(id)) return false;
    }
    if (range.to) {
      const c = compareValues(value, range.to.value);
      if (c > 0 || c === 0 && range.to.ids.includes(id)) return false;
    }
    return true;
  }
  function unionIds(a, b) {
    const out = [...a];
    for (const id of b) if (!out.includes(id)) out.push(id);
    return out;
  }
  function minUpper(a, b) {
    if (!a) return b;
    const c = compareValues(a.value, b.value);
    if (c < 0) return a;
    if (c > 0) return b;
    return { value: a.value, ids: unionIds(a.ids, b.ids) };
  }
  function maxLower(a, b) {
    if (!a) return b;
    const c = compareValues(a.value, b.value);
    if (c > 0) return a;
    if (c < 0) return b;
    return { value: a.value, ids: unionIds(a.ids, b.ids) };
  }
  function isEmpty(range) {
    return range.from !== null && range.to !== null && compareValues(range.from.value, range.to.value) > 0;
  }
  function capRanges(ranges, bound) {
    const out = [];
    for (const range of ranges) {
      const capped2 = { from: range.from, to: minUpper(range.to, bound) };
      if (!isEmpty(capped2)) out.push(capped2);
    }
    return out;
  }
  function subtractCoverage(ranges, coverage) {
    const out = [];
    for (const range of ranges) {
      if (coverage.first) {
        const below = { from: range.from, to: minUpper(range.to, coverage.first) };
        if (!isEmpty(below)) out.push(below);
      }
      const above = { from: maxLower(range.from, coverage.last), to: range.to };
      if (!isEmpty(above)) out.push(above);
    }
    return mergeSingleValues(out);
  }
  function mergeSingleValues(ranges) {
    const out = [];
    for (const range of ranges) {
      if (!isSingleValue(range)) {
        out.push(range);
        continue;
      }
      const twin = out.findIndex((r) => isSingleValue(r) && compareValues(r.from.value, range.from.value) === 0);
      if (twin < 0) {
        out.push({ from: { value: range.from.value, ids: unionIds(range.from.ids, range.to.ids) }, to: { value: range.to.value, ids: [] } });
        continue;
      }
      const other = out[twin];
      const excludedByRange = unionIds(range.from.ids, range.to.ids);
      const excludedByOther = unionIds(other.from.ids, other.to.ids);
      const both = excludedByOther.filter((id) => excludedByRange.includes(id));
      out[twin] = { from: { value: other.from.value, ids: both }, to: { value: other.to.value, ids: [] } };
    }
    return out;
  }
  function isSingleValue(range) {
    return range.from !== null && range.to !== null && compareValues(range.from.value, range.to.value) === 0;
  }
  function raiseHigh(high, value, id) {
    if (!high) return { value, ids: [id] };
    const c = compareValues(value, high.value);
    if (c < 0) return high;
    if (c > 0) return { value, ids: [id] };
    return high.ids.includes(id) ? high : { value, ids: [...high.ids, id] };
  }
  var MAX_BOUND_IDS = 2e3;
  function largestBound(ranges) {
    let max = 0;
    for (const r of ranges) max = Math.max(max, r.from?.ids.length ?? 0, r.to?.ids.length ?? 0);
    return max;
  }

  // functions/engine/sha256.ts
  var K = [
    1116352408,
    1899447441,
    3049323471,
    3921009573,
    961987163,
    1508970993,
    2453635748,
    2870763221,
    3624381080,
    310598401,
    607225278,
    1426881987,
    1925078388,
    2162078206,
    2614888103,
    3248222580,
    3835390401,
    4022224774,
    264347078,
    604807628,
    770255983,
    1249150122,
    1555081692,
    1996064986,
    2554220882,
    2821834349,
    2952996808,
    3210313671,
    3336571891,
    3584528711,
    113926993,
    338241895,
    666307205,
    773529912,
    1294757372,
    1396182291,
    1695183700,
    1986661051,
    2177026350,
    2456956037,
    2730485921,
    2820302411,
    3259730800,
    3345764771,
    3516065817,
    3600352804,
    4094571909,
    275423344,
    430227734,
    506948616,
    659060556,
    883997877,
    958139571,
    1322822218,
    1537002063,
    1747873779,
    1955562222,
    2024104815,
    2227730452,
    2361852424,
    2428436474,
    2756734187,
    3204031479,
    3329325298
  ];
  function sha256(message) {
    const h = [1779033703, 3144134277, 1013904242, 2773480762, 1359893119, 2600822924, 528734635, 1541459225];
    const bitLength = message.length * 8;
    const padded = new Uint8Array(message.length + 9 + 63 >> 6 << 6);
    padded.set(message);
    padded[message.length] = 128;
    const view = new DataView(padded.buffer);
    view.setUint32(padded.length - 8, Math.floor(bitLength / 4294967296));
    view.setUint32(padded.length - 4, bitLength >>> 0);
    const w = new Array(64).fill(0);
    for (let offset = 0; offset < padded.length; offset += 64) {
      for (let t = 0; t < 16; t++) w[t] = view.getUint32(offset + t * 4);
      for (let t = 16; t < 64; t++) {
        const w15 = w[t - 15];
        const w2 = w[t - 2];
        const s0 = (w15 >>> 7 | w15 << 25) ^ (w15 >>> 18 | w15 << 14) ^ w15 >>> 3;
        const s1 = (w2 >>> 17 | w2 << 15) ^ (w2 >>> 19 | w2 << 13) ^ w2 >>> 10;
        w[t] = w[t - 16] + s0 + w[t - 7] + s1 | 0;
      }
      let [a, b, c, d, e, f, g, hh] = h;
      for (let t = 0; t < 64; t++) {
        const S1 = (e >>> 6 | e << 26) ^ (e >>> 11 | e << 21) ^ (e >>> 25 | e << 7);
        const ch = e & f ^ ~e & g;
        const t1 = hh + S1 + ch + K[t] + w[t] | 0;
        const S0 = (a >>> 2 | a << 30) ^ (a >>> 13 | a << 19) ^ (a >>> 22 | a << 10);
        const maj = a & b ^ a & c ^ b & c;
        const t2 = S0 + maj | 0;
        hh = g;
        g = f;
        f = e;
        e = d + t1 | 0;
        d = c;
        c = b;
        b = a;
        a = t1 + t2 | 0;
      }
      h[0] = h[0] + a | 0;
      h[1] = h[1] + b | 0;
      h[2] = h[2] + c | 0;
      h[3] = h[3] + d | 0;
      h[4] = h[4] + e | 0;
      h[5] = h[5] + f | 0;
      h[6] = h[6] + g | 0;
      h[7] = h[7] + hh | 0;
    }
    const out = new Uint8Array(32);
    const outView = new DataView(out.buffer);
    h.forEach((word, i) => outView.setUint32(i * 4, word >>> 0));
    return out;
  }
  function hmacSha256(key, message) {
    const block = key.length > 64 ? sha256(key) : key;
    const inner = new Uint8Array(64 + message.length);
    const outer = new Uint8Array(64 + 32);
    for (let i = 0; i < 64; i++) {
      const k = block[i] ?? 0;
      inner[i] = k ^ 54;
      outer[i] = k ^ 92;
    }
    inner.set(message, 64);
    outer.set(sha256(inner), 64);
    return sha256(outer);
  }
  function sha256Hex(text) {
    return Array.from(sha256(utf8Encode(text)), (b) => b.toString(16).padStart(2, "0")).join("");
  }

  // functions/engine/idHash.ts
  function idHash(id) {
    let a = 2166136261;
    let b = 16777619 ^ 1540483477;
    for (let i = 0; i < id.length; i++) {
      const c = id.charCodeAt(i);
      a = Math.imul(a ^ c, 16777619);
      b = Math.imul(b ^ c, 16777619) ^ b >>> 13;
    }
    return (a >>> 0).toString(16).padStart(8, "0") + (b >>> 0).toString(16).padStart(8, "0");
  }

  // functions/engine/VouchedSpan.ts
  var MAX_REMEMBERED_IDS = 512;
  var TAIL_RECORDS = 256;
  function vouchedSpanOf(page, queryRanges, firstOfChain, exported) {
    const rangeOf = (value) => queryRanges.find((r) => (r.from === null || compareValues(r.from.value, value) <= 0) && (r.to === null || compareValues(value, r.to.value) <= 0));
    let lastIndex = page.length - 1;
    while (lastIndex >= 0 && rangeOf(page[lastIndex].value) === void 0) lastIndex--;
    const last = page[lastIndex];
    const range = last && rangeOf(last.value);
    if (!last || !range) return null;
    return spanInRange(page, lastIndex, last, range, firstOfChain, exported);
  }
  function spanInRange(page, lastIndex, last, range, firstOfChain, exported) {
    const to = lastIndex < page.length - 1 && range.to !== null ? range.to.value : last.value;
    const bound = range.from;
    const inRange2 = page.slice(0, lastIndex + 1).filter((k) => bound === null || compareValues(k.value, bound.value) >= 0);
    let start = Math.max(0, inRange2.length - TAIL_RECORDS);
    while (start > 0 && inRange2.length - start < MAX_REMEMBERED_IDS && inRange2[start - 1]?.value === inRange2[start]?.value) start--;
    const tail = inRange2.slice(start);
    const from = tail[0].value;
    const fromInclusive = start === 0 ? firstOfChain : inRange2[start - 1]?.value !== from;
    const own = { from, fromInclusive, to, ids: tail.map((k) => idHash(k.id)) };
    const ids = /* @__PURE__ */ new Set([...own.ids, ...exported.filter((span) => overlap(span, own)).flatMap((span) => span.ids)]);
    if (ids.size > MAX_REMEMBERED_IDS) return null;
    const first = page[0];
    const stretch = { from: first.value, fromInclusive: true, to, ids: [] };
    for (const id of exported.filter((span) => overlap(span, stretch)).flatMap((span) => span.ids)) {
      if (ids.size >= MAX_REMEMBERED_IDS) break;
      ids.add(id);
    }
    return { ...own, ids: [...ids] };
  }
  function boundSpans(ranges) {
    return ranges.flatMap((r) => [r.from, r.to]).filter((b) => b !== null && b.ids.length > 0).map((b) => ({ from: b.value, fromInclusive: true, to: b.value, ids: b.ids.map(idHash) }));
  }
  function spanCovers(span, value) {
    const above = compareValues(value, span.from);
    return (above > 0 || above === 0 && span.fromInclusive) && compareValues(value, span.to) <= 0;
  }
  var MAX_SPANS = 8;
  var MAX_RECHECK_IDS = 2 * MAX_REMEMBERED_IDS;
  function withSpan(spans, span) {
    let joined = span;
    const apart = [];
    for (const other of spans) {
      if (!overlap(other, joined)) {
        apart.push(other);
        continue;
      }
      const merged = mergeSpans(other, joined);
      if (merged === null) return null;
      joined = merged;
    }
    const all = [...apart, joined].sort((a, b) => compareValues(a.from, b.from));
    return all.length <= MAX_SPANS && idCount(all) <= MAX_RECHECK_IDS ? all : null;
  }
  function settleSpans(spans, exported, readTo) {
    const open = spans.filter((span) => readTo === null || readTo !== "end" && compareValues(readTo, span.to) < 0);
    const settled = open.map((span) => {
      const ids = new Set(span.ids);
      for (const k of exported) if (spanCovers(span, k.value)) ids.add(idHash(k.id));
      return { ...span, ids: [...ids] };
    });
    return settled.every((span) => span.ids.length <= MAX_REMEMBERED_IDS) && idCount(settled) <= MAX_RECHECK_IDS ? settled : null;
  }
  function rangesWithSpans(ranges, spans) {
    if (spans.length === 0) return ranges;
    const asRanges = spans.map((span) => ({ from: { value: span.from, ids: [] }, to: { value: span.to, ids: [] } }));
    const sorted = [...ranges, ...asRanges].sort((a, b) => a.from === null ? -1 : b.from === null ? 1 : compareValues(a.from.value, b.from.value));
    const merged = [];
    for (const range of sorted) {
      const prev = merged[merged.length - 1];
      if (prev === void 0 || prev.to !== null && range.from !== null && compareValues(range.from.value, prev.to.value) > 0) {
        merged.push(range);
        continue;
      }
      if (prev.to !== null && (range.to === null || compareValues(range.to.value, prev.to.value) > 0)) merged[merged.length - 1] = { from: prev.from, to: range.to };
    }
    return merged;
  }
  function overlap(a, b) {
    return compareValues(b.from, a.to) <= 0 && compareValues(a.from, b.to) <= 0;
  }
  function idCount(spans) {
    return spans.reduce((n, span) => n + span.ids.length, 0);
  }
  function mergeSpans(a, b) {
    if (!overlap(a, b)) return null;
    const ids = [.../* @__PURE__ */ new Set([...a.ids, ...b.ids])];
    if (ids.length > MAX_REMEMBERED_IDS) return null;
    const fromOrder = compareValues(a.from, b.from);
    const from = fromOrder <= 0 ? a : b;
    return {
      from: from.from,
      fromInclusive: fromOrder === 0 ? a.fromInclusive || b.fromInclusive : from.fromInclusive,
      to: compareValues(a.to, b.to) >= 0 ? a.to : b.to,
      ids
    };
  }

  // functions/engine/Checkpoint.ts
  var VERSION = 2;
  var PREFIX = `pg${VERSION}`;
  var MIN_CHECKPOINT_KEY_CHARS = 32;
  var boundSchema = external_exports.object({ value: external_exports.union([external_exports.string(), external_exports.number()]), ids: external_exports.array(external_exports.string()) });
  var cursorSchema = external_exports.discriminatedUnion("kind", [
    external_exports.object({ kind: external_exports.literal("offset"), offset: external_exports.number().int().nonnegative() }),
    external_exports.object({ kind: external_exports.literal("scroll"), token: external_exports.string(), expiresAtServerMs: external_exports.number().nullable() }),
    external_exports.object({ kind: external_exports.literal("after"), token: external_exports.string(), obtainedAtServerMs: external_exports.number() }),
    external_exports.object({ kind: external_exports.literal("next-page"), path: external_exports.string() })
  ]);
  var vouchedSpanSchema = external_exports.object({
    from: external_exports.union([external_exports.string(), external_exports.number()]),
    fromInclusive: external_exports.boolean(),
    to: external_exports.union([external_exports.string(), external_exports.number()]),
    ids: external_exports.array(external_exports.string().regex(/^[0-9a-f]{16}$/)).min(1).max(MAX_REMEMBERED_IDS)
  });
  var chainSchema = external_exports.object({
    cursor: cursorSchema.nullable(),
    filter: external_exports.string(),
    pages: external_exports.number().int().nonnegative(),
    received: external_exports.number().int().nonnegative(),
    firstTotal: external_exports.number().nullable(),
    lastTotal: external_exports.number().nullable(),
    totalMoved: external_exports.boolean(),
    // Checkpoints written before the field existed resume with a fresh count.
    barrenPages: external_exports.number().int().nonnegative().default(0),
    limit: external_exports.number().int().positive(),
    lastId: external_exports.string().nullable(),
    lastKey: external_exports.object({ value: external_exports.union([external_exports.string(), external_exports.number()]), id: external_exports.string() }).nullable(),
    tail: vouchedSpanSchema.nullable()
  });
  var countersSchema = external_exports.object({
    items: external_exports.number().int().nonnegative(),
    apiCalls: external_exports.number().int().nonnegative(),
    pages: external_exports.number().int().nonnegative(),
    tokenMissingMidRun: external_exports.number().int().nonnegative(),
    tokenExpiries: external_exports.number().int().nonnegative(),
    watermarkRestarts: external_exports.number().int().nonnegative(),
    depthCapRewindows: external_exports.number().int().nonnegative(),
    duplicatesDropped: external_exports.number().int().nonnegative()
  });
  var checkpointSchema = external_exports.object({
    v: external_exports.literal(1),
    stream: external_exports.enum(STREAM_NAMES),
    filterHash: external_exports.string(),
    sessionId: external_exports.string(),
    seq: external_exports.number().int().nonnegative(),
    ranges: external_exports.array(external_exports.object({ from: boundSchema.nullable(), to: boundSchema.nullable() })),
    high: boundSchema.nullable(),
    complete: external_exports.boolean(),
    chain: chainSchema.nullable(),
    notBeforeServerMs: external_exports.number().nullable(),
    skewMs: external_exports.number().nullable(),
    totalAtStart: external_exports.number().nullable(),
    learnedDepthCap: external_exports.number().nullable(),
    learnedPageLimit: external_exports.number().nullable(),
    boundServerMs: external_exports.number().nullable(),
    orderViolated: external_exports.boolean(),
    rechecks: external_exports.array(vouchedSpanSchema).max(8),
    counters: countersSchema
  });
  function mac(key, payload) {
    return base64UrlEncode(hmacSha256(utf8Encode(key), utf8Encode(payload)));
  }
  function checkpointKeyId(key) {
    return sha256Hex(`pagination-guard checkpoint key id
${key}`).slice(0, 12);
  }
  function sameMac(a, b) {
    let difference = a.length ^ b.length;
    for (let i = 0; i < a.length; i++) difference |= a.charCodeAt(i) ^ b.charCodeAt(i % Math.max(1, b.length));
    return difference === 0;
  }
  function encodeCheckpoint(data, keys) {
    const payload = base64UrlEncode(utf8Encode(JSON.stringify(data)));
    const signed = `${PREFIX}.${checkpointKeyId(keys.current)}.${payload}`;
    return `${signed}.${mac(keys.current, signed)}`;
  }
  function decodeCheckpoint(text, keys) {
    const signed = verifySignature(text, keys);
    if (!signed.ok) return signed;
    const bytes = base64UrlDecode(signed.payload);
    const json = bytes ? utf8Decode(bytes) : null;
    let raw;
    try {
      raw = json === null ? void 0 : JSON.parse(json);
    } catch {
      raw = void 0;
    }
    const parsed2 = checkpointSchema.safeParse(raw);
    if (!parsed2.success) {
      const issue = parsed2.error.issues[0];
      return fail("CHECKPOINT_MALFORMED", `has an invalid body at ${issue ? issue.path.join(".") || "(root)" : "(root)"}`);
    }
    const problem = implausible(parsed2.data);
    if (problem !== null) return fail("CHECKPOINT_MALFORMED", `holds ${problem}, which this engine never writes`);
    return { ok: true, data: parsed2.data, signedWith: signed.signedWith };
  }
  function verifySignature(text, keys) {
    const parts = text.trim().split(".");
    const version = /^pg(\d+)$/.exec(parts[0] ?? "");
    if (!version || (version[1] === String(VERSION) ? parts.length !== 4 : parts.length < 3)) {
      return fail("CHECKPOINT_MALFORMED", `is not a Pagination Guard checkpoint (expected ${PREFIX}.<key id>.<payload>.<mac>)`);
    }
    if (version[1] !== String(VERSION)) {
      const why = version[1] === "1" ? ", which every install signed with the same public key" : "";
      return fail("CHECKPOINT_VERSION", `has version ${version[1]}${why}; this engine reads version ${VERSION}: start a new export`);
    }
    const [prefix, keyId, payload, signature] = parts;
    const signedWith = keyId === checkpointKeyId(keys.current) ? "current" : keys.previous && keyId === checkpointKeyId(keys.previous) ? "previous" : null;
    if (signedWith === null) {
      return fail("CHECKPOINT_FOREIGN_KEY", "was signed by another install (or with a key retired since): this install cannot trust it; start a new export here");
    }
    const key = signedWith === "current" ? keys.current : keys.previous;
    if (!sameMac(mac(key, `${prefix}.${keyId}.${payload}`), signature)) {
      return fail("CHECKPOINT_TAMPERED", "failed its integrity check: it was edited or truncated");
    }
    return { ok: true, payload, signedWith };
  }
  function implausible(data) {
    const spec = STREAMS[data.stream];
    return implausibleProgress(data) ?? implausibleRanges(data, spec) ?? implausibleSpans(data) ?? implausibleChain(data.chain, spec) ?? implausibleLearned(data, spec);
  }
  function implausibleProgress(data) {
    if (!data.complete && data.ranges.length === 0 && data.rechecks.length === 0) return "no ranges left without being complete";
    if (data.complete && data.rechecks.length > 0) return "spans left to read again in a complete export";
    if (data.ranges.length > MAX_RANGES) return `${data.ranges.length} ranges`;
    return null;
  }
  function implausibleRanges(data, spec) {
    const bounds = [...data.ranges.flatMap((r) => [r.from, r.to]), data.high].filter((b) => b !== null);
    const valueType = spec.watermarkKind === "epoch" ? "number" : "string";
    if (bounds.some((b) => typeof b.value !== valueType)) return `a ${spec.watermarkField} bound that is not a ${valueType}`;
    for (const [i, range] of data.ranges.entries()) {
      if (range.from && range.to && compareValues(range.from.value, range.to.value) > 0) return `range ${i} that ends before it starts`;
      if (i > 0 && range.from === null) return `range ${i} without a lower bound after another range`;
      if (i < data.ranges.length - 1 && range.to === null) return `range ${i} without an upper bound before another range`;
      const next = data.ranges[i + 1];
      if (next && range.to && next.from && compareValues(range.to.value, next.from.value) > 0) return `ranges ${i} and ${i + 1} out of order`;
    }
    return null;
  }
  function implausibleSpans(data) {
    for (const span of [data.chain?.tail, ...data.rechecks]) {
      if (span && compareValues(span.from, span.to) > 0) return "a vouched span whose start lies after its end";
    }
    if (data.rechecks.reduce((n, span) => n + span.ids.length, 0) > MAX_RECHECK_IDS) return "more ids to read again than a checkpoint holds";
    return null;
  }
  function implausibleChain(chain, spec) {
    if (chain === null) return null;
    if (chain.limit > spec.maxLimit) return `a page limit of ${chain.limit} (the API serves at most ${spec.maxLimit})`;
    return implausibleCursor(chain.cursor, spec);
  }
  function implausibleCursor(cursor, spec) {
    if (cursor !== null && cursor.kind !== CURSOR_OF_STYLE[spec.style]) return `a ${cursor.kind} cursor on a ${spec.style} stream`;
    if (cursor?.kind === "offset" && spec.depthCap !== null && cursor.offset > spec.depthCap) return `offset ${cursor.offset} past the depth cap`;
    if ((cursor?.kind === "after" || cursor?.kind === "scroll") && !/^[\x21-\x7e]{1,4096}$/.test(cursor.token)) return "a cursor token with characters no API token has";
    if (cursor?.kind === "next-page" && !nextPagePathPlausible(spec, cursor.path)) return `a Next-Page path that is not ${spec.path} on the API origin`;
    return null;
  }
  function implausibleLearned(data, spec) {
    if (data.learnedPageLimit !== null && (data.learnedPageLimit < 1 || data.learnedPageLimit > spec.maxLimit)) return `a learned page limit of ${data.learnedPageLimit}`;
    if (data.learnedDepthCap !== null && (data.learnedDepthCap < 1 || spec.depthCap !== null && data.learnedDepthCap > spec.depthCap)) return `a learned depth cap of ${data.learnedDepthCap}`;
    return null;
  }
  var MAX_RANGES = 1e4;
  var CURSOR_OF_STYLE = {
    offset: "offset",
    scroll: "scroll",
    "after-query": "after",
    "after-body": "after",
    marker: "next-page"
  };
  function nextPagePathPlausible(spec, path) {
    if (!path.startsWith("/") || path.startsWith("//") || /[\\\s@]/.test(path)) return false;
    const end = path.search(/[?#]/);
    return (end === -1 ? path : path.slice(0, end)) === spec.path;
  }
  function filterHashOf(stream, filter) {
    return sha256Hex(`${stream}
${filter.trim()}`).slice(0, 32);
  }
  function checkpointBelongsTo(data, stream, filter) {
    if (data.stream !== stream) {
      return engineError("CHECKPOINT_FOREIGN_STREAM", `The checkpoint belongs to stream "${data.stream}", not "${stream}".`, { field: "checkpoint" });
    }
    if (data.filterHash !== filterHashOf(stream, filter)) {
      return engineError("CHECKPOINT_FOREIGN_FILTER", "The checkpoint was made with another filter; pass the same filter or start a new export.", { field: "checkpoint" });
    }
    if (data.chain !== null && !chainFilterMatches(STREAMS[stream], filter.trim(), data.chain.filter)) {
      return engineError("CHECKPOINT_MALFORMED", "The checkpoint holds a query filter this export never builds; start a new export.", { field: "checkpoint" });
    }
    return null;
  }
  function chainFilterMatches(spec, exportFilter, chainFilter2) {
    const literal = spec.watermarkKind === "epoch" ? "-?\\d+(?:\\.\\d+)?" : "'(?:[^'\\\\]|\\\\.)*'";
    const bound = `${escapeRegExp(spec.watermarkField)}:(?:>=|<=)${literal}`;
    const clause = `${bound}(?:\\+${bound})?`;
    const range = new RegExp(`^(?:${clause}|\\(${clause}\\)(?:,\\(${clause}\\))*)$`);
    if (chainFilter2 === exportFilter) return true;
    if (exportFilter === "") return range.test(chainFilter2);
    const prefix = `(${exportFilter})+(`;
    return chainFilter2.startsWith(prefix) && chainFilter2.endsWith(")") && range.test(chainFilter2.slice(prefix.length, -1));
  }
  function escapeRegExp(text) {
    return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  }
  function fail(code, what) {
    return { ok: false, error: engineError(code, `The checkpoint ${what}.`, { field: "checkpoint" }) };
  }

  // functions/engine/RunInput.ts
  var FORBIDDEN_FIELD_PARTS = ["__proto__", "constructor", "prototype"];
  var fieldPathSchema = external_exports.string().min(1).max(200).refine((path) => path.split(".").every((part) => part !== ""), "has an empty part (two dots in a row, or a dot at an end)").refine((path) => path.split(".").every((part) => !FORBIDDEN_FIELD_PARTS.includes(part)), `must not name ${FORBIDDEN_FIELD_PARTS.join(", ")}`);
  var API_BASE_URL_PATTERN = /^https?:\/\/[A-Za-z0-9.-]+(?::\d{1,5})?\/?$/;
  var runInputSchema = external_exports.object({
    stream: external_exports.string().min(1),
    filter: external_exports.string().default(""),
    checkpoint: external_exports.string().min(1).optional(),
    runId: external_exports.string().min(1).max(128),
    sessionId: external_exports.string().min(1).max(128).optional(),
    /**
     * Origin the host sends requests to; a `Next-Page` URL is followed only on it. Checked by pattern, not
     * with zod's `.url()`: that calls `new URL`, which embedded engines do not have.
     */
    apiBaseUrl: external_exports.string().max(2048).regex(API_BASE_URL_PATTERN, "must be an http(s) origin such as https://api.crowdstrike.com").optional(),
    /** The install's signing keys: the host keeps them secret, the engine has no default. */
    checkpointKeys: external_exports.object({
      current: external_exports.string().min(MIN_CHECKPOINT_KEY_CHARS).max(512),
      previous: external_exports.string().min(MIN_CHECKPOINT_KEY_CHARS).max(512).nullable().optional()
    }).strict(),
    fields: external_exports.array(fieldPathSchema).max(200).optional(),
    budget: external_exports.object({
      deadlineMs: external_exports.number().int().positive().optional(),
      maxPages: external_exports.number().int().positive().optional(),
      maxResponseBytes: external_exports.number().int().positive().optional()
    }).strict().default({}),
    options: external_exports.object({
      pageLimit: external_exports.number().int().positive().optional(),
      maxRetries: external_exports.number().int().nonnegative().max(20).optional(),
      maxRateLimitWaits: external_exports.number().int().nonnegative().max(100).optional(),
      assumedCursorTtlMs: external_exports.number().int().positive().optional(),
      seed: external_exports.number().int().optional(),
      requestTimeoutMs: external_exports.number().int().positive().optional()
    }).strict().default({})
  }).strict();
  var ENGINE_DEFAULTS = {
    maxRetries: 5,
    maxRateLimitWaits: 20,
    /**
     * After-token lifetimes are undocumented outside Spotlight (120 s); the field report saw 30 s.
     * The engine assumes the shorter one, because abandoning a live cursor costs nothing (the restart
     * request replaces the continuation request) while using a dead one costs a failed call.
     */
    assumedCursorTtlMs: 3e4,
    /** Margin kept before a cursor's expiry and for the server Date header's one-second resolution. */
    cursorExpiryMarginMs: 3e3,
    requestTimeoutMs: 3e4,
    /** Time kept free before the deadline for returning the result. */
    deadlineMarginMs: 100,
    initialLatencyEstimateMs: 1500,
    backoffBaseMs: 500,
    backoffCapMs: 2e4,
    minRetryAfterMs: 1e3,
    /**
     * Longest wait a Retryafter that is no plausible epoch may ask for: the rate limit is a sliding 60 s
     * window, so no honest relative wait is longer (a plausible epoch further out is honoured, across runs).
     */
    maxRetryAfterMs: 6e4,
    /** X-Ratelimit-Remaining at or below these slows the run down (gofalcon uses the same steps). */
    slowDownRemaining: 10,
    slowDownMs: 200,
    verySlowDownRemaining: 5,
    verySlowDownMs: 500,
    /**
     * Longest range clause a chain may leave for its restart. Every page of a chain leaves one small gap
     * range behind until the chain ends; past this size the engine re-anchors the chain, so a restart's
     * GET stays far below the 8 KB URLs that gateways refuse with an HTML 414 (falcon-api.md §10.8).
     */
    maxRangeFilterChars: 3e3,
    /** Restarts in a row that export nothing new before the run gives up. */
    maxBarrenRestarts: 6,
    /** Pages in a row of one chain that bring nothing new before the chain is restarted from the watermark. */
    maxBarrenChainPages: 2
  };

  // functions/falcon/regions.ts
  var FALCON_CLOUDS = {
    "us-1": "https://api.crowdstrike.com",
    "us-2": "https://api.us-2.crowdstrike.com",
    "eu-1": "https://api.eu-1.crowdstrike.com",
    "us-gov-1": "https://api.laggar.gcw.crowdstrike.com",
    "us-gov-2": "https://api.us-gov-2.crowdstrike.mil"
  };
  function functionApiBaseUrl(cloud, override) {
    if (override !== "") return override.replace(/\/+$/, "");
    const key = cloud.trim().toLowerCase().replace(/-/g, "");
    if (key === "" || key === "auto") return FALCON_CLOUDS["us-1"];
    const match = Object.keys(FALCON_CLOUDS).find((name) => name.replace(/-/g, "") === key);
    return match === void 0 ? null : FALCON_CLOUDS[match];
  }

  // functions/engine/fql.ts
  function fqlQuote(value) {
    return `'${value.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;
  }
  function fqlLiteral(kind, value) {
    return kind === "epoch" && typeof value === "number" ? String(value) : fqlQuote(String(value));
  }
  function rangesFilter(field, kind, ranges) {
    const clauses = [];
    for (const range of ranges) {
      const parts = [];
      if (range.from) parts.push(`${field}:>=${fqlLiteral(kind, range.from.value)}`);
      if (range.to) parts.push(`${field}:<=${fqlLiteral(kind, range.to.value)}`);
      if (parts.length === 0) return "";
      clauses.push(parts.join("+"));
    }
    if (clauses.length === 1) return clauses[0];
    return clauses.map((c) => `(${c})`).join(",");
  }
  function andFilters(user, engine) {
    if (!user) return engine;
    if (!engine) return user;
    return `(${user})+(${engine})`;
  }
  var MAX_USER_FILTER_CHARS = 2048;
  function checkUserFilter(filter) {
    if (filter.length > MAX_USER_FILTER_CHARS) {
      return { position: MAX_USER_FILTER_CHARS, message: `is longer than ${MAX_USER_FILTER_CHARS} characters` };
    }
    let depth = 0;
    let quote = null;
    let quoteStart = 0;
    for (let i = 0; i < filter.length; i++) {
      const ch = filter.charAt(i);
      if (ch.charCodeAt(0) < 32) return { position: i, message: "contains a control character" };
      if (quote) {
        if (ch === "\\") {
          i++;
          if (filter.charCodeAt(i) < 32) return { position: i, message: "contains a control character" };
        } else if (ch === quote) quote = null;
        continue;
      }
      if (ch === "'" || ch === '"') {
        quote = ch;
        quoteStart = i;
      } else if (ch === "(") depth++;
      else if (ch === ")") {
        depth--;
        if (depth < 0) return { position: i, message: "closes a parenthesis that was never opened" };
      }
    }
    if (quote) return { position: quoteStart, message: `opens a ${quote} quote that is never closed` };
    if (depth > 0) return { position: filter.length, message: `leaves ${depth} parenthesis(es) open` };
    return null;
  }

  // functions/falcon/streamNameSchema.ts
  var streamNameSchema = external_exports.enum(STREAM_NAMES, {
    errorMap: (_issue, ctx) => ({ message: (typeof ctx.data === "string" ? retiredStreamMessage(ctx.data) : null) ?? ctx.defaultError })
  });

  // functions/storage/CheckpointRecord.ts
  var CHECKPOINTS_COLLECTION = "pagination_checkpoints";
  function checkpointRecordKey(stream, filter) {
    return `${stream}.${filterHashOf(stream, filter)}`;
  }

  // functions/storage/SigningKeys.ts
  var KEYS_COLLECTION = "pagination_keys";
  var SIGNING_KEYS_OBJECT = "checkpoint-signing";
  var keySchema = external_exports.object({
    id: external_exports.string().min(1).max(64),
    key: external_exports.string().min(MIN_CHECKPOINT_KEY_CHARS).max(512),
    created_at_ms: external_exports.number().finite()
  }).strict();
  var signingKeysSchema = external_exports.object({
    version: external_exports.literal(1),
    current: keySchema,
    /** The key before the last rotation: its checkpoints are still read until they are saved again. */
    previous: keySchema.nullable()
  }).strict();
  function newSigningKeys(entropyHex, nowMs, rotatedFrom) {
    return {
      version: 1,
      current: { id: checkpointKeyId(entropyHex), key: entropyHex, created_at_ms: nowMs },
      previous: rotatedFrom?.current ?? null
    };
  }
  function checkpointKeysOf(stored) {
    return { current: stored.current.key, previous: stored.previous?.key ?? null };
  }

  // functions/falcon/envelope.ts
  var apiErrorSchema = external_exports.object({
    code: external_exports.number().int(),
    message: external_exports.string(),
    id: external_exports.string().optional()
  });
  var paginationSchema = external_exports.object({
    offset: external_exports.union([external_exports.number(), external_exports.string()]).optional(),
    limit: external_exports.number().optional(),
    total: external_exports.number().optional(),
    after: external_exports.string().nullable().optional(),
    expires_at: external_exports.number().optional(),
    next: external_exports.string().nullable().optional()
  }).passthrough();
  var metaSchema = external_exports.object({
    query_time: external_exports.number().optional(),
    powered_by: external_exports.string().optional(),
    trace_id: external_exports.string().optional(),
    pagination: paginationSchema.optional()
  }).passthrough();
  function isRecord(value) {
    return typeof value === "object" && value !== null && !Array.isArray(value);
  }
  var resourcesSchema = external_exports.custom(
    (value) => Array.isArray(value) && (value.every((v) => typeof v === "string") || value.every(isRecord)),
    { message: "resources must be a list of ids or a list of records" }
  );
  var envelopeSchema = external_exports.object({
    meta: metaSchema,
    resources: resourcesSchema.nullable().optional(),
    errors: external_exports.array(apiErrorSchema).nullable().optional()
  }).passthrough();
  var tokenResponseSchema = external_exports.object({
    access_token: external_exports.string().min(1),
    token_type: external_exports.string(),
    expires_in: external_exports.number().int().positive()
  });
  function firstErrorMessage(body) {
    try {
      const json = JSON.parse(body);
      const message = json.errors?.[0]?.message;
      return typeof message === "string" ? message : null;
    } catch {
      return null;
    }
  }

  // functions/handlers/CollectionClient.ts
  var PREFIX2 = "/customobjects/v1/collections";
  var TIMEOUT_MS = 1e4;
  var _context, _CollectionClient_instances, send_fn;
  var CollectionClient = class {
    constructor(context) {
      __privateAdd(this, _CollectionClient_instances);
      __privateAdd(this, _context);
      __privateSet(this, _context, context);
    }
    *put(collection, key, object) {
      const answer2 = yield* __privateMethod(this, _CollectionClient_instances, send_fn).call(this, "PUT", objectPath(collection, key), JSON.stringify(object));
      return answer2.ok ? { ok: true, value: null } : answer2;
    }
    /** The stored object, or null when the key does not exist. */
    *get(collection, key) {
      const answer2 = yield* __privateMethod(this, _CollectionClient_instances, send_fn).call(this, "GET", objectPath(collection, key), null);
      if (!answer2.ok) return answer2.status === 404 ? { ok: true, value: null } : answer2;
      try {
        return { ok: true, value: JSON.parse(answer2.value) };
      } catch {
        return { ok: false, status: 502, message: `custom storage returned an object of ${collection} that is not JSON` };
      }
    }
    *delete(collection, key) {
      const answer2 = yield* __privateMethod(this, _CollectionClient_instances, send_fn).call(this, "DELETE", objectPath(collection, key), null);
      if (!answer2.ok) return answer2.status === 404 ? { ok: true, value: false } : answer2;
      return { ok: true, value: true };
    }
    /** Object keys matching an exact-match filter, in the given sort order. */
    *search(collection, query3) {
      const params = [`filter=${encodeURIComponent(query3.filter)}`, `sort=${encodeURIComponent(query3.sort)}`, `limit=${query3.limit}`, `offset=${query3.offset ?? 0}`].join("&");
      const answer2 = yield* __privateMethod(this, _CollectionClient_instances, send_fn).call(this, "POST", `${PREFIX2}/${encodeURIComponent(collection)}/objects?${params}`, "");
      if (!answer2.ok) return answer2;
      try {
        const body = JSON.parse(answer2.value);
        const keys = (body.resources ?? []).map((r) => r.object_key).filter((k) => typeof k === "string");
        return { ok: true, value: keys };
      } catch {
        return { ok: false, status: 502, message: `custom storage search of ${collection} returned a body that is not JSON` };
      }
    }
  };
  _context = new WeakMap();
  _CollectionClient_instances = new WeakSet();
  send_fn = function* (method, path, body) {
    for (let attempt = 0; ; attempt++) {
      const headers = { Accept: "application/json", ...body === null ? {} : { "Content-Type": "application/json" } };
      if (__privateGet(this, _context).appId !== "") headers["X-CS-APP-ID"] = __privateGet(this, _context).appId;
      const answer2 = yield { kind: "http", request: { method, path, headers, body }, timeoutMs: TIMEOUT_MS };
      if (answer2.kind === "http-error") return { ok: false, status: 503, message: `custom storage ${method} failed: ${answer2.message}` };
      if (answer2.kind !== "http-response") return { ok: false, status: 500, message: `custom storage ${method}: the host answered ${answer2.kind}` };
      if (answer2.status === 401 && attempt === 0) {
        const refreshed = yield { kind: "authenticate" };
        if (refreshed.kind === "authenticated" && refreshed.ok) continue;
      }
      if (answer2.status >= 200 && answer2.status < 300) return { ok: true, value: answer2.body };
      return { ok: false, status: answer2.status, message: `custom storage ${method} answered ${answer2.status}: ${firstErrorMessage(answer2.body) ?? answer2.body.slice(0, 200)}` };
    }
  };
  function objectPath(collection, key) {
    return `${PREFIX2}/${encodeURIComponent(collection)}/objects/${encodeURIComponent(key)}`;
  }

  // functions/handlers/flags.ts
  var flagSchema = external_exports.enum(["true", "false"]);
  function presentCheckpoint(value) {
    return value === void 0 || value === "" || value === "0" ? void 0 : value;
  }

  // functions/handlers/FunctionResponse.ts
  function badRequest(errorCode, field, message, status = 400) {
    return { code: status, body: { error_code: errorCode, field }, errors: [{ code: status, message: `${message} (field: ${field})` }] };
  }

  // functions/handlers/parseRequest.ts
  function parseRequest(schema, body, handler) {
    const parsed2 = schema.safeParse(body);
    if (parsed2.success) return { ok: true, data: parsed2.data };
    const issue = parsed2.error.issues[0];
    const field = issue === void 0 || issue.path.length === 0 ? "(body)" : issue.path.join(".");
    const message = issue === void 0 ? "the request body is invalid" : `${field}: ${issue.message}`;
    return { ok: false, response: badRequest("INPUT_INVALID", field, `The ${handler} request is invalid: ${message}`) };
  }

  // functions/handlers/signingKeyStore.ts
  function* loadSigningKeys(storage, context) {
    const found = yield* storage.get(KEYS_COLLECTION, SIGNING_KEYS_OBJECT);
    if (!found.ok) return unavailable(found);
    if (found.value !== null) return parsed(found.value);
    const written = yield* storage.put(KEYS_COLLECTION, SIGNING_KEYS_OBJECT, newSigningKeys(context.entropy, context.nowMs(), null));
    if (!written.ok) return unavailable(written);
    const stored = yield* storage.get(KEYS_COLLECTION, SIGNING_KEYS_OBJECT);
    if (!stored.ok) return unavailable(stored);
    return stored.value === null ? unavailable({ ok: false, status: 502, message: "the key just written was not found" }) : parsed(stored.value);
  }
  function* rotateSigningKey(storage, context) {
    const loaded = yield* loadSigningKeys(storage, context);
    if (!loaded.ok) return loaded;
    const rotated = newSigningKeys(context.entropy, context.nowMs(), loaded.keys);
    const written = yield* storage.put(KEYS_COLLECTION, SIGNING_KEYS_OBJECT, rotated);
    return written.ok ? { ok: true, keys: rotated } : unavailable(written);
  }
  function parsed(value) {
    const keys = signingKeysSchema.safeParse(value);
    if (keys.success) return { ok: true, keys: keys.data };
    return {
      ok: false,
      response: badRequest(
        "KEY_STORE_CORRUPT",
        "pagination_keys",
        `The signing keys in ${KEYS_COLLECTION}/${SIGNING_KEYS_OBJECT} are not in the expected form; delete that object to make a new key (checkpoints signed with the old one will then be refused)`,
        500
      )
    };
  }
  function unavailable(failed2) {
    const forbidden = failed2.status === 403;
    return {
      ok: false,
      response: badRequest(
        forbidden ? "KEY_STORE_FORBIDDEN" : "KEY_STORE_UNAVAILABLE",
        "pagination_keys",
        forbidden ? `The function may not use the ${KEYS_COLLECTION} collection (${failed2.message}); the app needs the custom-storage scopes. Nothing was run` : `The checkpoint signing keys could not be read, so nothing was run: ${failed2.message}`,
        forbidden ? 403 : 503
      )
    };
  }

  // functions/engine/assertNever.ts
  function assertNever(value, what) {
    const seen = value;
    const kind = typeof seen === "object" && seen !== null && "kind" in seen ? seen.kind : seen;
    throw new Error(`Unexpected ${what}: ${JSON.stringify(kind) ?? String(kind)}.`);
  }

  // functions/handlers/checkpointsHandler.ts
  var checkpointsRequestSchema = external_exports.object({
    action: external_exports.enum(["get", "save", "reset", "rotate_key"]),
    stream: streamNameSchema,
    filter: external_exports.string().max(MAX_USER_FILTER_CHARS).default(""),
    /** Required for save: the checkpoint whose items the caller has stored. */
    checkpoint: external_exports.string().max(1e5).optional(),
    has_more: flagSchema.optional(),
    run_id: external_exports.string().max(128).optional(),
    verdict: external_exports.string().max(200).optional(),
    /** reset and rotate_key destroy something: they run only when this repeats the action's name. */
    confirm: external_exports.string().max(32).optional()
  }).strict();
  function* checkpoints(rawBody, context) {
    const parsed2 = parseRequest(checkpointsRequestSchema, rawBody, "checkpoints");
    if (!parsed2.ok) return parsed2.response;
    const request = parsed2.data;
    const storage = new CollectionClient(context);
    const key = checkpointRecordKey(request.stream, request.filter);
    const answer2 = (record) => ok(request.stream, request.filter, record);
    switch (request.action) {
      case "get": {
        const stored = yield* storage.get(CHECKPOINTS_COLLECTION, key);
        if (!stored.ok) return storageFailure(stored.status, stored.message);
        return answer2(stored.value);
      }
      case "save": {
        const checkpoint = presentCheckpoint(request.checkpoint);
        if (checkpoint === void 0) return badRequest("INPUT_INVALID", "checkpoint", "save needs the checkpoint to store; pass the page-run output checkpoint");
        const keys = yield* loadSigningKeys(storage, context);
        if (!keys.ok) return keys.response;
        const decoded = decodeCheckpoint(checkpoint, checkpointKeysOf(keys.keys));
        if (!decoded.ok) return badRequest(decoded.error.code, "checkpoint", decoded.error.message);
        const foreign = checkpointBelongsTo(decoded.data, request.stream, request.filter);
        if (foreign !== null) return badRequest(foreign.code, "checkpoint", foreign.message);
        const stored = yield* storage.get(CHECKPOINTS_COLLECTION, key);
        if (!stored.ok) return storageFailure(stored.status, stored.message);
        const current = stored.value;
        if (current !== null && typeof current.checkpoint === "string" && current.checkpoint !== "") {
          if (current.session_id !== decoded.data.sessionId) {
            return badRequest("CHECKPOINT_FOREIGN_SESSION", "checkpoint", `The stored export is session "${String(current.session_id)}", this checkpoint is "${decoded.data.sessionId}"; reset the stored checkpoint (confirm: "reset") to start another export`, 409);
          }
          const same = current.checkpoint === checkpoint;
          if (!same && (typeof current.seq !== "number" || decoded.data.seq <= current.seq)) {
            return badRequest("CHECKPOINT_ROLLBACK", "checkpoint", `The checkpoint is number ${decoded.data.seq} of its session, the stored one ${String(current.seq)}: saving it would roll the export back; save the newest checkpoint instead`, 409);
          }
        }
        const record = {
          stream: request.stream,
          filter: request.filter,
          checkpoint,
          has_more: request.has_more ?? (decoded.data.complete ? "false" : "true"),
          session_id: decoded.data.sessionId,
          seq: decoded.data.seq,
          key_id: keys.keys.current.id,
          updated_at_ms: context.nowMs(),
          last_run_id: request.run_id ?? "",
          last_verdict: request.verdict ?? ""
        };
        const written = yield* storage.put(CHECKPOINTS_COLLECTION, key, record);
        if (!written.ok) return storageFailure(written.status, written.message);
        return answer2(record);
      }
      case "reset": {
        if (request.confirm !== "reset") return badRequest("CONFIRMATION_REQUIRED", "confirm", 'reset deletes the stored checkpoint, so the next run starts the export over; pass confirm: "reset" to do it');
        const deleted = yield* storage.delete(CHECKPOINTS_COLLECTION, key);
        if (!deleted.ok) return storageFailure(deleted.status, deleted.message);
        return ok(request.stream, request.filter, null, deleted.value);
      }
      case "rotate_key": {
        if (request.confirm !== "rotate_key") {
          return badRequest("CONFIRMATION_REQUIRED", "confirm", 'rotate_key makes a new signing key; checkpoints signed two rotations ago are refused from then on. Pass confirm: "rotate_key" to do it');
        }
        const rotated = yield* rotateSigningKey(storage, context);
        if (!rotated.ok) return rotated.response;
        const stored = yield* storage.get(CHECKPOINTS_COLLECTION, key);
        return answer2(stored.ok ? stored.value : null);
      }
      default:
        return assertNever(request.action, "checkpoints action");
    }
  }
  function ok(stream, filter, record, deleted) {
    const found = record !== null && typeof record.checkpoint === "string" && record.checkpoint !== "";
    return {
      code: 200,
      body: {
        stream,
        filter,
        found: deleted ?? found ? "true" : "false",
        checkpoint: found ? record.checkpoint : "",
        has_more: found && record.has_more === "true" ? "true" : "false",
        session_id: found && typeof record.session_id === "string" ? record.session_id : "",
        updated_at_ms: found && typeof record.updated_at_ms === "number" ? record.updated_at_ms : 0
      },
      errors: []
    };
  }
  function storageFailure(status, message) {
    const code = status >= 500 || status === 429 ? 503 : 502;
    return { code, body: { error_code: "STORAGE_FAILED", field: "stream" }, errors: [{ code, message: `Custom storage failed; nothing was changed: ${message}` }] };
  }

  // functions/engine/Io.ts
  function ioCommandOf(command) {
    switch (command.kind) {
      case "http":
        return { kind: "http", request: command.request, timeoutMs: command.timeoutMs };
      case "sleep":
        return { kind: "sleep", ms: command.ms };
      case "authenticate":
        return { kind: "authenticate" };
      default:
        return assertNever(command, "I/O command");
    }
  }

  // functions/engine/core/machineErrors.ts
  function firstEventError(kind) {
    return engineError("PROTOCOL", `The first event must be "start", got "${kind}".`);
  }
  function protocolMisuse(event, phase, whose) {
    return engineError("PROTOCOL", `Event "${event}" is not valid in phase "${phase}"; the host must answer the ${whose}'s last command.`, { event, phase });
  }
  function inputInvalid(issues, what) {
    const issue = issues[0];
    const field = issue ? issue.path.join(".") || "(input)" : "(input)";
    return engineError("INPUT_INVALID", `Invalid ${what} input at "${field}": ${issue?.message ?? "unknown problem"}.`, { field });
  }
  function connectionFailed(event) {
    return engineError("RETRIES_EXHAUSTED", `The connection failed (${event.code}).`, {}, { code: event.code, message: event.message });
  }
  function freshTokenRefused(status) {
    return engineError("AUTH_FAILED", "Falcon refused a freshly issued token (401). Check the API client, its cloud and its CID.", { status });
  }
  function rateLimitExhausted(consecutive) {
    return engineError("RATE_LIMIT_EXHAUSTED", `Falcon answered 429 ${consecutive} times in a row; the CID's 6,000/min pool is exhausted by other clients.`);
  }
  function scopeMissing(method, path, scope, status) {
    return engineError(
      "SCOPE_MISSING",
      `Falcon refused ${method} ${path} with 403 (access denied, authorization failed). Grant the API client the scope "${scope}" (or check its IP allowlist) and run again.`,
      { status, scope, path }
    );
  }

  // functions/engine/random.ts
  function nextRandom(seed) {
    const next = seed + 1831565813 | 0;
    let t = next;
    t = Math.imul(t ^ t >>> 15, t | 1);
    t ^= t + Math.imul(t ^ t >>> 7, t | 61);
    return { value: ((t ^ t >>> 14) >>> 0) / 4294967296, seed: next };
  }

  // functions/falcon/readResponse.ts
  function header(headers, name) {
    const wanted = name.toLowerCase();
    for (const key of Object.keys(headers)) if (key.toLowerCase() === wanted) return headers[key];
    return void 0;
  }
  function originOf(url) {
    const match = /^(https?:\/\/[^/?#]+)/i.exec(url);
    return match ? match[1].toLowerCase() : null;
  }
  function serverDateMs(headers) {
    const value = header(headers, "date");
    if (!value) return null;
    const ms = Date.parse(value);
    return Number.isFinite(ms) ? ms : null;
  }
  function retryAfter(headers, serverNowMs, maxWaitMs) {
    const raw = (header(headers, "x-ratelimit-retryafter") ?? header(headers, "retry-after"))?.trim();
    if (raw === void 0 || raw === "") return null;
    if (!/^\d+(\.\d+)?$/.test(raw)) {
      const at = /^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/.test(raw) ? Date.parse(raw) : Number.NaN;
      return Number.isFinite(at) ? { kind: "at", serverMs: Math.min(at, serverNowMs + maxWaitMs) } : null;
    }
    const value = Number(raw);
    const plausible = (ms) => Math.abs(ms - serverNowMs) <= PLAUSIBLE_EPOCH_MS;
    if (value >= 1e12 && plausible(value)) return { kind: "at", serverMs: value };
    if (value >= 1e9 && plausible(value * 1e3)) return { kind: "at", serverMs: value * 1e3 };
    return { kind: "delay", ms: Math.min(value * 1e3, maxWaitMs) };
  }
  var PLAUSIBLE_EPOCH_MS = 864e5;
  function rateLimitRemaining(headers) {
    const raw = header(headers, "x-ratelimit-remaining");
    if (raw === void 0) return null;
    const value = Number(raw);
    return Number.isFinite(value) ? value : null;
  }
  function parseJson(body) {
    const trimmed = body.trimStart();
    if (!trimmed.startsWith("{") && !trimmed.startsWith("[")) return { ok: false };
    try {
      return { ok: true, value: JSON.parse(body) };
    } catch {
      return { ok: false };
    }
  }
  function depthCapFromMessage(message) {
    const lessThan = /must be less than (\d+)/i.exec(message);
    if (lessThan) return Number(lessThan[1]) - 1;
    const orEqual = /less than or equal to (\d+)/i.exec(message);
    if (orEqual) return Number(orEqual[1]);
    return null;
  }
  function isExpiredContextMessage(message) {
    return /search context expired|no longer valid|expired/i.test(message);
  }

  // functions/engine/pacing.ts
  function fullJitterMs(seed, attempt) {
    const r = nextRandom(seed);
    const ceiling = Math.min(ENGINE_DEFAULTS.backoffCapMs, ENGINE_DEFAULTS.backoffBaseMs * 2 ** Math.min(attempt, 16));
    return { ms: Math.max(1, Math.round(r.value * ceiling)), seed: r.seed };
  }
  function rateLimitWaitMs(headers, serverNowMs, seed, consecutive) {
    const hint = retryAfter(headers, serverNowMs, ENGINE_DEFAULTS.maxRetryAfterMs);
    let ms;
    let next = seed;
    if (hint?.kind === "at") ms = hint.serverMs - serverNowMs;
    else if (hint?.kind === "delay") ms = hint.ms;
    else {
      const jitter = fullJitterMs(seed, consecutive);
      ms = jitter.ms;
      next = jitter.seed;
    }
    return { ms: Math.max(Math.ceil(ms), ENGINE_DEFAULTS.minRetryAfterMs), seed: next, hinted: hint !== null };
  }
  function slowDownMsFor(remaining) {
    if (remaining <= ENGINE_DEFAULTS.verySlowDownRemaining) return ENGINE_DEFAULTS.verySlowDownMs;
    if (remaining <= ENGINE_DEFAULTS.slowDownRemaining) return ENGINE_DEFAULTS.slowDownMs;
    return null;
  }
  function nextLatencyEstimateMs(previousMs, observedMs) {
    return Math.round(0.6 * previousMs + 0.4 * Math.max(observedMs, 1));
  }
  function skewFromDateMs(serverDateMs2, localNowMs) {
    return serverDateMs2 === null ? null : serverDateMs2 + 500 - localNowMs;
  }

  // functions/engine/core/fits.ts
  function fits(m, s, ms) {
    return s.input.deadlineAtMs === null || s.run.nowMs + ms + m.deadlineMarginMs <= s.input.deadlineAtMs;
  }

  // functions/engine/core/sleep.ts
  function sleep(s, ms, reason, resume) {
    s.phase = "await-sleep";
    s.resume = resume;
    return { kind: "sleep", ms, reason };
  }

  // functions/engine/core/retry.ts
  function retry(m, s, reason, error) {
    const pending = s.pending;
    if (!pending) return m.fail(s, error);
    const attempt = pending.attempt + 1;
    if (attempt > s.input.maxRetries) return m.fail(s, { ...error, context: { ...error.context, attempts: attempt } });
    const backoff = fullJitterMs(s.rngSeed, attempt);
    s.rngSeed = backoff.seed;
    if (!fits(m, s, backoff.ms + s.run.latencyEstimateMs)) return m.stop(s, "stopped_deadline", `a retry after ${reason} does not fit the deadline`);
    s.pending = { ...pending, attempt };
    m.count(s, "retries");
    m.note(s, "retry", `${reason}; attempt ${attempt} of ${s.input.maxRetries} in ${backoff.ms} ms`);
    return m.out(s, sleep(s, backoff.ms, "backoff", "pending"));
  }

  // functions/engine/core/send.ts
  function send(s, pending) {
    const deadline = s.input.deadlineAtMs;
    const timeoutMs = deadline === null ? s.input.requestTimeoutMs : Math.max(1, Math.min(s.input.requestTimeoutMs, deadline - s.run.nowMs));
    s.pending = { ...pending, sentAtMs: s.run.nowMs };
    s.phase = "await-http";
    return { kind: "http", purpose: pending.purpose, request: pending.request, timeoutMs };
  }

  // functions/engine/core/handleEvent.ts
  var PHASE_OF_EVENT = {
    "http-response": "await-http",
    "http-error": "await-http",
    slept: "await-sleep",
    authenticated: "await-auth",
    emitted: "await-emit",
    "emit-failed": "await-emit"
  };
  function answersLastCommand(state, event) {
    const phase = PHASE_OF_EVENT[event.kind];
    return state.phase === phase && (phase !== "await-http" || !!state.pending);
  }
  function handleEvent(m, s, event) {
    const c = s;
    switch (event.kind) {
      case "http-response":
        return c.pending ? m.onAnswer(s, c.pending, event) : m.fail(s, protocolMisuse(event.kind, s.phase, "engine"));
      case "http-error":
        return onLost(m, s, event);
      case "slept":
        return s.resume === "pending" && c.pending ? m.out(s, send(c, c.pending)) : m.next(s);
      case "authenticated":
        return onAuthenticated(m, s, event);
      case "emitted":
        return m.onEmitted ? m.onEmitted(s, event) : m.fail(s, protocolMisuse(event.kind, s.phase, "engine"));
      case "emit-failed":
        return m.onEmitFailed ? m.onEmitFailed(s, event) : m.fail(s, protocolMisuse(event.kind, s.phase, "engine"));
      default:
        return assertNever(event, "engine event");
    }
  }
  function onLost(m, s, event) {
    const c = s;
    m.count(s, "apiCalls");
    const pending = c.pending;
    if (!pending) return m.fail(s, protocolMisuse(event.kind, s.phase, "engine"));
    c.pending = { ...pending, authRefreshed: false };
    const handled = m.onLost?.(s, c.pending, event) ?? null;
    if (handled !== null) return handled;
    return retry(m, s, `${event.code}: ${event.message}`, connectionFailed(event));
  }
  function onAuthenticated(m, s, event) {
    const c = s;
    const why = event.message ?? "no reason given";
    if (!event.ok && event.retryable && c.pending) {
      c.pending = { ...c.pending, authRefreshed: false };
      return retry(m, s, `re-authentication failed: ${why}`, engineError("AUTH_FAILED", `Re-authentication kept failing: ${why}.`));
    }
    if (!event.ok) return m.fail(s, engineError("AUTH_FAILED", `Re-authentication failed: ${why}. Check the API client id and secret.`));
    return c.pending ? m.out(s, send(c, c.pending)) : m.next(s);
  }

  // functions/engine/core/appendTimeline.ts
  function appendTimeline(log, event, limit) {
    if (log.timeline.length < limit) return { timeline: [...log.timeline, event], timelineDropped: log.timelineDropped };
    const head = log.timeline.slice(0, limit / 2);
    const tail = log.timeline.slice(limit / 2 + 1);
    return { timeline: [...head, ...tail, event], timelineDropped: log.timelineDropped + 1 };
  }

  // functions/falcon/iocEndpoints.ts
  var IOC_TYPES = ["sha256", "md5", "domain", "ipv4", "ipv6"];
  var IOC_DEVICE_COUNT_PATH = "/iocs/aggregates/indicators/device-count/v1";
  var IOC_DEVICES_PATH = "/iocs/queries/indicators/devices/v1";
  var IOC_DEVICES_MAX_LIMIT = 100;
  var IOC_SCOPE = "IOC Management: Read";

  // functions/engine/enrich/EnrichInput.ts
  var enrichInputSchema = external_exports.object({
    runId: external_exports.string().min(1).max(128),
    indicators: external_exports.array(external_exports.object({ type: external_exports.enum(IOC_TYPES), value: external_exports.string().min(1).max(1e3) }).strict()).min(1).max(500),
    budget: external_exports.object({
      deadlineMs: external_exports.number().int().positive().optional(),
      maxCalls: external_exports.number().int().positive().optional(),
      /** Device ids kept per indicator; 0 asks for counts only. */
      maxDeviceIdsPerIndicator: external_exports.number().int().nonnegative().optional(),
      /** Bytes all returned device ids may take as JSON (`"id",` each): the host's response budget. */
      maxDeviceIdBytes: external_exports.number().int().nonnegative().optional()
    }).strict().default({}),
    options: external_exports.object({
      pageLimit: external_exports.number().int().positive().max(IOC_DEVICES_MAX_LIMIT).optional(),
      maxRetries: external_exports.number().int().nonnegative().max(20).optional(),
      maxRateLimitWaits: external_exports.number().int().nonnegative().max(100).optional(),
      /** Restarts of one indicator's devices query from its first page, after a token went missing. */
      maxRestarts: external_exports.number().int().nonnegative().max(10).optional(),
      seed: external_exports.number().int().optional(),
      requestTimeoutMs: external_exports.number().int().positive().optional()
    }).strict().default({})
  }).strict();
  var ENRICH_DEFAULTS = {
    pageLimit: IOC_DEVICES_MAX_LIMIT,
    maxDeviceIdsPerIndicator: 1e3,
    /**
     * One restart recovers a token that vanished once; a second covers a refused token on the way. More
     * only re-reads the same unordered list, so the answer is reported incomplete instead.
     */
    maxRestarts: 2,
    /** What one 32-hex device id costs when the host's response budget is checked ahead of a chain. */
    estimatedIdBytes: 35,
    timelineLimit: 100
  };

  // functions/engine/enrich/endLookup.ts
  function stop(s, reason, detail) {
    note(s, "stopped", `${reason}: ${detail}`);
    return finish(s, "has_more", reason, detail);
  }
  function fail2(s, error) {
    note(s, "failed", `${error.code}: ${error.message}`);
    return finish(s, `failed:${error.code}`, "run_failed", error.message, error);
  }
  function finish(s, verdict, pendingReason = "", detail = "", error = null) {
    const indicators = [...s.results];
    if (s.lookup) indicators.push(resultOf(s, s.lookup, "pending", pendingReason, detail));
    for (let i = indicators.length; i < s.input.indicators.length; i++) {
      const { type, value } = s.input.indicators[i];
      indicators.push({ type, value, status: "pending", deviceCount: null, limitExceeded: false, deviceIds: [], reason: pendingReason, detail: "not started" });
    }
    if (verdict === "complete") note(s, "complete", `${indicators.length} indicator(s) in ${s.counters.apiCalls} call(s)`);
    const result = {
      verdict,
      hasMore: verdict === "has_more" ? "true" : "false",
      indicators,
      ...s.counters,
      timeline: s.timeline,
      timelineDropped: s.timelineDropped,
      error
    };
    const state = { ...s, lookup: null, pending: null, phase: "done", result };
    return { state, command: { kind: "done", result } };
  }
  function resultOf(s, lookup, status, reason, detail) {
    const { type, value } = indicatorOf(s, lookup);
    return { type, value, status, deviceCount: lookup.deviceCount, limitExceeded: lookup.limitExceeded, deviceIds: lookup.ids, reason, detail };
  }
  function indicatorOf(s, lookup) {
    const indicator = s.input.indicators[lookup.index];
    if (!indicator) throw new RangeError(`Failed to find indicator ${lookup.index} of ${s.input.indicators.length}.`);
    return indicator;
  }
  function anomaly(s, kind, detail) {
    s.counters.anomalies++;
    note(s, kind, detail);
  }
  function note(s, kind, detail) {
    const trimmed = appendTimeline(s, { atMs: s.run.nowMs, kind, detail }, ENRICH_DEFAULTS.timelineLimit);
    s.timeline = trimmed.timeline;
    s.timelineDropped = trimmed.timelineDropped;
  }

  // functions/engine/core/slowDown.ts
  function slowDown(m, s) {
    const ms = s.slowDownMs;
    if (ms <= 0) return { kind: "none" };
    if (!fits(m, s, ms + s.run.latencyEstimateMs)) return { kind: "no-time", detail: "no time left after slowing down for the rate limit" };
    return { kind: "wait", ms };
  }

  // functions/engine/core/waitOut.ts
  function waitOut(m, s, ms, reason, resume) {
    m.count(s, "rateLimitWaitMs", ms);
    return m.out(s, sleep(s, ms, reason, resume));
  }

  // functions/engine/enrich/deviceRequests.ts
  function query(params) {
    return `?${params.filter((p) => p[1] !== null).map(([key, value]) => `${key}=${encodeURIComponent(value)}`).join("&")}`;
  }
  var JSON_HEADERS = { Accept: "application/json" };
  function deviceCountRequest(type, value) {
    return { method: "GET", path: IOC_DEVICE_COUNT_PATH + query([["type", type], ["value", value]]), headers: { ...JSON_HEADERS }, body: null };
  }
  function deviceIdsRequest(type, value, limit, token) {
    return {
      method: "GET",
      path: IOC_DEVICES_PATH + query([["type", type], ["value", value], ["limit", String(limit)], ["offset", token]]),
      headers: { ...JSON_HEADERS },
      body: null
    };
  }

  // functions/engine/enrich/nextLookup.ts
  function nextLookup(s) {
    if (!s.lookup) {
      if (s.results.length >= s.input.indicators.length) return finish(s, "complete");
      s.lookup = { index: s.results.length, stage: "count", deviceCount: null, limitExceeded: false, ids: [], bytes: 0, token: null, pages: 0, restarts: 0 };
    }
    if (s.input.maxCalls !== null && s.counters.apiCalls >= s.input.maxCalls) return stop(s, "stopped_max_calls", `${s.counters.apiCalls} call(s) made`);
    const pace = slowDown(LOOKUP, s);
    if (pace.kind !== "none") {
      s.slowDownMs = 0;
      return pace.kind === "wait" ? waitOut(LOOKUP, s, pace.ms, "slow-down", "next") : stop(s, "stopped_deadline", pace.detail);
    }
    if (!fits(LOOKUP, s, s.run.latencyEstimateMs)) return stop(s, "stopped_deadline", "the next call would not finish before the deadline");
    const lookup = s.lookup;
    const indicator = indicatorOf(s, lookup);
    const request = lookup.stage === "count" ? { purpose: "device-count", request: deviceCountRequest(indicator.type, indicator.value) } : { purpose: "device-ids", request: deviceIdsRequest(indicator.type, indicator.value, s.input.pageLimit, lookup.token) };
    return { state: s, command: send(s, { ...request, attempt: 0, authRefreshed: false, sentAtMs: s.run.nowMs }) };
  }

  // functions/engine/core/classifyAnswer.ts
  function classifyAnswer(status, headers, body, ctx) {
    return beforeBody(status, headers, ctx) ?? fromBody(status, body, ctx);
  }
  function beforeBody(status, headers, ctx) {
    const base = { status, message: "", anomaly: null };
    if (status === 429) return { ...base, kind: "rate-limited" };
    if (status === 401) return ctx.authRefreshed ? { ...base, kind: "fatal", cause: "token-refused", detail: "", code: null } : { ...base, kind: "reauth" };
    if (status === 403 && ctx.request === "entities") return { ...base, kind: "retryable", cause: "entities-refused", detail: "", code: null };
    if (ctx.rules.refuseRedirects && status >= 300 && status < 400) return { ...base, kind: "redirect", location: header(headers, "location") };
    if (status === 403) return { ...base, kind: "scope" };
    if (ctx.rules.namesLongRequests && status === 414) return { ...base, kind: "fatal", cause: "request-too-long", detail: "", code: null };
    if (status === 413 && ctx.request === "entities" && ctx.splittable) return { ...base, kind: "split" };
    return null;
  }
  function fromBody(status, body, ctx) {
    const json = parseJson(body);
    if (!json.ok) return notJson(status);
    const parsed2 = envelopeSchema.safeParse(json.value);
    const envelope = parsed2.success ? parsed2.data : null;
    const base = { status, message: firstMessage(envelope), anomaly: null };
    if (status >= 500) return serverError(base, ctx);
    if (status === 400 && ctx.request !== "entities") return refusedQuery(base, ctx);
    if (status === 404) return notFound(base, envelope, ctx);
    if (status < 200 || status >= 300) return { ...base, kind: "fatal", cause: "unexpected-status", detail: "", code: null };
    if (envelope) return fromEnvelope(base, envelope, ctx);
    return schemaMismatch(base, parsed2.success ? void 0 : parsed2.error.issues[0]);
  }
  function firstMessage(envelope) {
    return envelope?.errors?.[0]?.message ?? "";
  }
  function schemaMismatch(base, issue) {
    return { ...base, kind: "fatal", cause: "schema", detail: `"${issue?.path.join(".") ?? "?"}": ${issue?.message ?? ""}`, code: null };
  }
  function notJson(status) {
    const base = { status, message: "", anomaly: { kind: "non_json_body", detail: `HTTP ${status} with a body that is not JSON` } };
    if (status >= 500 || status < 300) return { ...base, kind: "retryable", cause: "non-json", detail: "", code: null };
    return { ...base, kind: "fatal", cause: "non-json", detail: "", code: null };
  }
  function serverError(base, ctx) {
    const probe = ctx.depthCap?.probe ?? null;
    if (probe !== null && base.status === probe.status) {
      if (probe.offset > 0 && probe.attempt >= 1) {
        const served = probe.offset + (probe.overlap ? 1 : 0);
        return { ...base, kind: "depth-cap", cap: served, pageLimit: null, detail: `HTTP ${base.status} at offset ${probe.offset}` };
      }
      if (probe.attempt >= 1 && probe.limit > 1) {
        const pageLimit = Math.floor(probe.limit / 2);
        return { ...base, kind: "depth-cap", cap: null, pageLimit, detail: `HTTP ${base.status} for limit ${probe.limit} at offset 0; trying limit ${pageLimit}` };
      }
    }
    return { ...base, kind: "retryable", cause: "server-error", detail: "", code: null };
  }
  function refusedQuery(base, ctx) {
    if (ctx.depthCap !== null) {
      const cap = depthCapFromMessage(base.message);
      const learned = ctx.depthCap.learned;
      if (cap !== null && (learned === null || cap < learned)) return { ...base, kind: "depth-cap", cap, pageLimit: null, detail: base.message };
    }
    return ctx.cursor ? { ...base, kind: "cursor-refused" } : { ...base, kind: "rejected" };
  }
  function notFound(base, envelope, ctx) {
    if (ctx.indicator !== null && envelope && isIndicatorNotFound(envelope, ctx.indicator)) return { ...base, kind: "not-found" };
    if (ctx.rules.cursorGoneOn404 && ctx.request === "query" && ctx.cursor) return { ...base, kind: "cursor-refused" };
    return { ...base, kind: "fatal", cause: "endpoint-not-found", detail: "", code: null };
  }
  function fromEnvelope(base, envelope, ctx) {
    const errors = (envelope.errors ?? []).filter((e) => !(ctx.request === "entities" && e.code === 404 && e.id));
    if (errors.length === 0) return { ...base, kind: "ok", envelope };
    const anomaly2 = { kind: "errors_in_200", detail: errors.map((e) => `${e.code} ${e.message}`).join("; ").slice(0, 200) };
    const first = { detail: errors[0]?.message ?? "", code: errors[0]?.code ?? null };
    if (errors.some((e) => e.code >= 500 || e.code === 429)) return { ...base, anomaly: anomaly2, kind: "retryable", cause: "errors-in-200", ...first };
    if (ctx.request === "count" && ctx.indicator !== null && isIndicatorNotFound(envelope, ctx.indicator)) return { ...base, anomaly: anomaly2, kind: "not-found" };
    return { ...base, anomaly: anomaly2, kind: "fatal", cause: "errors-in-200", ...first };
  }
  function isIndicatorNotFound(envelope, value) {
    const wanted = value.toLowerCase();
    return (envelope.errors ?? []).some((e) => {
      if (e.code !== 404) return false;
      const text = e.message.toLowerCase();
      return text.includes(wanted) || /resource not found|no results/.test(text);
    });
  }
  function failureOf(answer2) {
    if (answer2.kind === "fatal" || answer2.kind === "retryable") return { cause: answer2.cause, detail: answer2.detail, code: answer2.code };
    return { cause: "unexpected-status", detail: "", code: null };
  }

  // functions/engine/core/noteAnomaly.ts
  function noteAnomaly(m, s, anomaly2) {
    if (anomaly2 === null) return;
    if (anomaly2.kind === "errors_in_200") m.count(s, "errorsIn200");
    m.note(s, anomaly2.kind, anomaly2.detail);
  }

  // functions/engine/core/observeAnswer.ts
  function observeAnswer(m, s, sent, status, headers) {
    const pending = status !== 401 && sent.authRefreshed ? { ...sent, authRefreshed: false } : sent;
    s.pending = pending;
    m.count(s, "apiCalls");
    s.run.latencyEstimateMs = nextLatencyEstimateMs(s.run.latencyEstimateMs, s.run.nowMs - pending.sentAtMs);
    m.setSkewMs(s, skewFromDateMs(serverDateMs(headers), s.run.nowMs) ?? m.skewMs(s));
    const remaining = rateLimitRemaining(headers);
    if (remaining !== null && status !== 429) {
      s.slowDownMs = slowDownMsFor(remaining) ?? s.slowDownMs;
      if (s.slowDownMs > 0) m.note(s, "slow_down", `X-Ratelimit-Remaining ${remaining}`);
    }
    if (status !== 429) s.run.consecutiveRateLimits = 0;
    return pending;
  }

  // functions/engine/core/serverNow.ts
  function serverNow(m, s) {
    return s.run.nowMs + (m.skewMs(s) ?? 0);
  }

  // functions/engine/core/rateLimitWait.ts
  function rateLimitWait(m, s, headers) {
    s.run.consecutiveRateLimits++;
    if (s.run.consecutiveRateLimits > s.input.maxRateLimitWaits) return { out: m.fail(s, rateLimitExhausted(s.run.consecutiveRateLimits)) };
    const wait = rateLimitWaitMs(headers, serverNow(m, s), s.rngSeed, s.run.consecutiveRateLimits);
    s.rngSeed = wait.seed;
    m.note(s, "rate_limited", `429; waiting ${wait.ms} ms (${wait.hinted ? "X-Ratelimit-Retryafter" : "no Retryafter header, backoff"})`);
    return { ms: wait.ms };
  }

  // functions/engine/core/reauthenticate.ts
  function reauthenticate(m, s, pending) {
    s.pending = { ...pending, authRefreshed: true };
    m.count(s, "authRefreshes");
    m.note(s, "auth_refresh", "401 access denied, invalid bearer token");
    s.phase = "await-auth";
    s.resume = "pending";
    return m.out(s, { kind: "authenticate", reason: "Falcon answered 401 (invalid bearer token)" });
  }

  // functions/engine/core/retryReason.ts
  function retryReason(answer2) {
    switch (answer2.cause) {
      case "entities-refused":
        return "HTTP 403 on the entities call";
      case "non-json":
        return `non-JSON ${answer2.status}`;
      case "server-error":
        return `HTTP ${answer2.status}`;
      case "errors-in-200":
        return "errors inside a 200";
      default:
        return assertNever(answer2.cause, "retry cause");
    }
  }

  // functions/engine/enrich/readDeviceAnswers.ts
  function readDeviceCount(envelope, type, value) {
    const items = (envelope.resources ?? []).filter((r) => typeof r === "object" && r !== null);
    if (items.length === 0) return { kind: "missing", limitExceeded: false, why: "device-count answered 200 without a resource" };
    const wanted = value.toLowerCase();
    const item = items.find((r) => r["type"] === type && typeof r["value"] === "string" && r["value"].toLowerCase() === wanted) ?? items[0];
    const limitExceeded = item["limit_exceeded"] === true;
    const count2 = item["device_count"];
    if (typeof count2 === "number" && Number.isInteger(count2) && count2 >= 0) return { kind: "count", count: count2, limitExceeded };
    return {
      kind: "missing",
      limitExceeded,
      why: count2 === void 0 ? "device-count answered without device_count" : `device_count is ${JSON.stringify(count2)}, not a count`
    };
  }
  function readDevicePage(envelope) {
    const resources = envelope.resources ?? [];
    const ids = [];
    for (const r of resources) {
      if (typeof r !== "string") return { ok: false, message: "the devices query returned records where device ids were expected" };
      ids.push(r);
    }
    const pagination = envelope.meta.pagination;
    const offset = pagination?.offset;
    const after = pagination?.after;
    const next = typeof offset === "string" && offset !== "" ? offset : typeof after === "string" && after !== "" ? after : null;
    return { ok: true, ids, next };
  }

  // functions/engine/enrich/lookupIndicator.ts
  function countNotFound(s, message) {
    const lookup = lookupOf(s);
    note(s, "count_not_found", `${describe(s, lookup)}: ${message || "404"}; no device saw it`);
    lookup.deviceCount = 0;
    return finishLookup(s, "complete", "");
  }
  function onCount(s, envelope) {
    const lookup = lookupOf(s);
    const indicator = indicatorOf(s, lookup);
    const answer2 = readDeviceCount(envelope, indicator.type, indicator.value);
    lookup.limitExceeded = answer2.limitExceeded;
    if (answer2.kind === "count") {
      lookup.deviceCount = answer2.count;
      if (answer2.limitExceeded) anomaly(s, "count_lower_bound", `${describe(s, lookup)}: limit_exceeded, so ${answer2.count} is only a floor`);
      if (answer2.count === 0 && !answer2.limitExceeded) return finishLookup(s, "complete", "");
    } else {
      lookup.deviceCount = null;
      anomaly(s, "count_missing", `${describe(s, lookup)}: ${answer2.why}; paging the devices to see`);
    }
    const cap = s.input.maxDeviceIdsPerIndicator;
    if (cap === 0) return finishLookup(s, "capped", "capped_max_devices", "max devices per indicator is 0: counts only");
    const maxBytes = s.input.maxDeviceIdBytes;
    if (maxBytes !== null && s.run.bytes > 0) {
      const expected = Math.min(cap, lookup.deviceCount ?? s.input.pageLimit);
      if (s.run.bytes + expected * ENRICH_DEFAULTS.estimatedIdBytes > maxBytes) {
        return stop(s, "stopped_response_size", `${expected} more device id(s) would not fit the ${maxBytes - s.run.bytes} bytes left of the response`);
      }
    }
    lookup.stage = "devices";
    return nextLookup(s);
  }
  function onDevicePage(s, envelope) {
    const lookup = lookupOf(s);
    const page = readDevicePage(envelope);
    if (!page.ok) return fail2(s, engineError("SCHEMA_MISMATCH", `${IOC_DEVICES_PATH}: ${page.message}.`, {}));
    lookup.pages++;
    const cap = s.input.maxDeviceIdsPerIndicator;
    const { ids, added, cut } = collectIds(s, lookup, page.ids);
    lookup.ids = ids;
    const count2 = lookup.deviceCount;
    const countIsTotal = count2 !== null && !lookup.limitExceeded;
    if (countIsTotal && ids.length >= count2) return finishLookup(s, "complete", "");
    if (cut) return finishLookup(s, "capped", cut, `${ids.length} of ${count2 ?? "an unknown number of"} device id(s) kept`);
    if (ids.length >= cap && (countIsTotal || page.next !== null)) {
      return finishLookup(s, "capped", "capped_max_devices", `${ids.length} of ${count2 ?? "an unknown number of"} device id(s) kept`);
    }
    if (page.next !== null) {
      if (page.next === lookup.token && added === 0) return tokenLost(s, "token_repeated", `the same offset token came back with no new device`);
      lookup.token = page.next;
      return nextLookup(s);
    }
    return chainEnded(s);
  }
  function collectIds(s, lookup, pageIds) {
    const cap = s.input.maxDeviceIdsPerIndicator;
    const maxBytes = s.input.maxDeviceIdBytes;
    const known = new Set(lookup.ids);
    const ids = [...lookup.ids];
    let added = 0;
    for (const id of pageIds) {
      if (known.has(id)) continue;
      if (ids.length >= cap) return { ids, added, cut: "capped_max_devices" };
      const size = JSON.stringify(id).length + 1;
      if (maxBytes !== null && s.run.bytes + size > maxBytes) return { ids, added, cut: "capped_response_size" };
      known.add(id);
      ids.push(id);
      lookup.bytes += size;
      s.run.bytes += size;
      added++;
    }
    return { ids, added, cut: null };
  }
  function chainEnded(s) {
    const lookup = lookupOf(s);
    if (lookup.deviceCount === null) {
      if (lookup.ids.length === 0) {
        lookup.deviceCount = 0;
        return finishLookup(s, "complete", "");
      }
      return finishLookup(s, "incomplete", "count_missing", `${lookup.ids.length} device id(s), but device-count gave no count to check them against`);
    }
    if (lookup.limitExceeded) {
      return finishLookup(s, "incomplete", "count_lower_bound", `${lookup.ids.length} device id(s); the count ${lookup.deviceCount} is only a floor`);
    }
    return tokenLost(s, "token_missing_before_count", `no next-offset token after ${lookup.ids.length} of ${lookup.deviceCount} device(s)`);
  }
  function tokenLost(s, kind, detail) {
    const lookup = lookupOf(s);
    s.pending = null;
    anomaly(s, kind, `${describe(s, lookup)}: ${detail}`);
    if (lookup.restarts < s.input.maxRestarts) {
      lookup.restarts++;
      lookup.token = null;
      s.counters.restarts++;
      note(s, "devices_restart", `${describe(s, lookup)}: restart ${lookup.restarts} of ${s.input.maxRestarts} from the first page`);
      return nextLookup(s);
    }
    return finishLookup(s, "incomplete", "token_missing_before_count", `${lookup.ids.length} of ${lookup.deviceCount ?? "?"} device id(s) after ${lookup.restarts} restart(s): ${detail}`);
  }
  function rejectIndicator(s, message) {
    const lookup = lookupOf(s);
    note(s, "indicator_rejected", `${describe(s, lookup)}: ${message}`);
    s.pending = null;
    return finishLookup(s, "rejected", "indicator_rejected", message);
  }
  function finishLookup(s, status, reason, detail = "") {
    const lookup = lookupOf(s);
    if (status === "capped") note(s, "capped", `${describe(s, lookup)}: ${reason}, ${detail}`);
    s.results = [...s.results, resultOf(s, lookup, status, reason, detail)];
    s.lookup = null;
    s.pending = null;
    return nextLookup(s);
  }
  function describe(s, lookup) {
    const { type, value } = indicatorOf(s, lookup);
    return `${type}:${value}`;
  }
  function lookupOf(s) {
    if (!s.lookup) throw new Error("Failed to read an answer: no indicator is being looked up.");
    return s.lookup;
  }

  // functions/engine/enrich/onLookupAnswer.ts
  var LOOKUP_RULES = { refuseRedirects: false, namesLongRequests: false, cursorGoneOn404: false };
  function onLookupAnswer(s, sent, event) {
    const pending = observeAnswer(LOOKUP, s, sent, event.status, event.headers);
    const path = pending.purpose === "device-count" ? IOC_DEVICE_COUNT_PATH : IOC_DEVICES_PATH;
    const answer2 = classifyAnswer(event.status, event.headers, event.body, {
      request: pending.purpose === "device-count" ? "count" : "query",
      authRefreshed: pending.authRefreshed,
      cursor: pending.purpose === "device-ids" && s.lookup !== null && s.lookup.token !== null,
      rules: LOOKUP_RULES,
      splittable: false,
      depthCap: null,
      indicator: s.lookup ? indicatorOf(s, s.lookup).value : null
    });
    noteAnomaly(LOOKUP, s, answer2.anomaly);
    if (refuses(answer2)) return onRefusal(s, pending, answer2, path);
    switch (answer2.kind) {
      case "rate-limited":
        return onRateLimited(s, event.headers);
      case "reauth":
        return reauthenticate(LOOKUP, s, pending);
      case "retryable":
        return retry(LOOKUP, s, retryReason(answer2), lookupError(answer2, path));
      case "ok":
        s.pending = null;
        return pending.purpose === "device-count" ? onCount(s, answer2.envelope) : onDevicePage(s, answer2.envelope);
      default:
        return assertNever(answer2, "answer");
    }
  }
  function refuses(answer2) {
    return answer2.kind !== "rate-limited" && answer2.kind !== "reauth" && answer2.kind !== "retryable" && answer2.kind !== "ok";
  }
  function onRefusal(s, pending, answer2, path) {
    switch (answer2.kind) {
      case "not-found":
        return pending.purpose === "device-count" ? countNotFound(s, answer2.message) : tokenLost(s, "token_missing_before_count", `404 ${answer2.message}`);
      case "cursor-refused":
        return tokenLost(s, "token_refused", `400 ${answer2.message || "offset refused"}`);
      case "rejected":
        return rejectIndicator(s, answer2.message || "HTTP 400 without a message");
      case "scope":
      case "redirect":
      case "split":
      case "depth-cap":
      case "fatal":
        return fail2(s, lookupError(answer2, path));
      default:
        return assertNever(answer2, "answer");
    }
  }
  function onRateLimited(s, headers) {
    const wait = rateLimitWait(LOOKUP, s, headers);
    if ("out" in wait) return wait.out;
    if (!fits(LOOKUP, s, wait.ms + s.run.latencyEstimateMs)) return stop(s, "stopped_rate_limit_wait", `the ${wait.ms} ms wait does not fit the deadline`);
    return waitOut(LOOKUP, s, wait.ms, "rate-limit", "pending");
  }
  function lookupError(answer2, path) {
    const { status, message } = answer2;
    if (answer2.kind === "scope") return scopeMissing("GET", path, IOC_SCOPE, status);
    const { cause, detail, code } = failureOf(answer2);
    switch (cause) {
      case "token-refused":
        return freshTokenRefused(status);
      case "non-json":
        return engineError("NON_JSON_BODY", `Falcon answered HTTP ${status} with a body that is not JSON (an HTML error page?).`, { status, path });
      case "server-error":
        return engineError("RETRIES_EXHAUSTED", `Falcon kept answering HTTP ${status} on ${path}: ${message || "no message"}.`, { status, path });
      case "endpoint-not-found":
        return engineError("ENDPOINT_NOT_FOUND", `Falcon answered 404 for ${path}: ${message || "not found"}.`, { status, path });
      case "schema":
        return engineError("SCHEMA_MISMATCH", `Falcon's answer on ${path} does not match the envelope at ${detail}.`, { status, path });
      case "errors-in-200":
        return engineError("ERRORS_IN_200", `Falcon answered HTTP ${status} on ${path} with errors: ${detail}.`, { status, code, path });
      // The device endpoints have no entities call and no redirect or long-filter rule: these read as any unexpected status.
      case "entities-refused":
      case "request-too-long":
      case "unexpected-status":
        return engineError("UNEXPECTED_STATUS", `Falcon answered HTTP ${status} on ${path}: ${message || "no message"}.`, { status, path });
      default:
        return assertNever(cause, "failure cause");
    }
  }

  // functions/engine/enrich/lookupMachine.ts
  var COUNTER_OF = {
    apiCalls: "apiCalls",
    retries: "retries",
    authRefreshes: "authRefreshes",
    rateLimitWaitMs: "rateLimitWaitMs",
    errorsIn200: null
  };
  var LOOKUP = {
    // The lookup's answer goes back inside its caller's own deadline: it keeps a margin before it.
    deadlineMarginMs: ENGINE_DEFAULTS.deadlineMarginMs,
    skewMs: (s) => s.run.skewMs,
    setSkewMs: (s, skewMs) => {
      s.run.skewMs = skewMs;
    },
    note: (s, kind, detail) => note(s, kind, detail),
    count: (s, counter, by = 1) => {
      const field = COUNTER_OF[counter];
      if (field !== null) s.counters[field] += by;
    },
    out: (s, command) => ({ state: s, command }),
    next: (s) => nextLookup(s),
    fail: (s, error) => fail2(s, error),
    stop: (s, kind, detail) => stop(s, kind, detail),
    onAnswer: (s, pending, event) => onLookupAnswer(s, pending, event)
  };

  // functions/engine/enrich/refuseLookup.ts
  function refuseLookup(error) {
    const result = {
      verdict: `failed:${error.code}`,
      hasMore: "false",
      indicators: [],
      apiCalls: 0,
      retries: 0,
      rateLimitWaitMs: 0,
      authRefreshes: 0,
      restarts: 0,
      anomalies: 0,
      timeline: [],
      timelineDropped: 0,
      error
    };
    const state = { phase: "refused", result, timeline: result.timeline, timelineDropped: 0 };
    return { state, command: { kind: "done", result } };
  }

  // functions/engine/enrich/startLookup.ts
  function startLookup(rawInput, nowMs) {
    const parsed2 = enrichInputSchema.safeParse(rawInput);
    if (!parsed2.success) return refuseLookup(inputInvalid(parsed2.error.issues, "lookup"));
    const input = parsed2.data;
    const resolved = {
      runId: input.runId,
      indicators: input.indicators,
      deadlineAtMs: input.budget.deadlineMs !== void 0 ? nowMs + input.budget.deadlineMs : null,
      maxCalls: input.budget.maxCalls ?? null,
      maxDeviceIdsPerIndicator: input.budget.maxDeviceIdsPerIndicator ?? ENRICH_DEFAULTS.maxDeviceIdsPerIndicator,
      maxDeviceIdBytes: input.budget.maxDeviceIdBytes ?? null,
      pageLimit: input.options.pageLimit ?? ENRICH_DEFAULTS.pageLimit,
      maxRetries: input.options.maxRetries ?? ENGINE_DEFAULTS.maxRetries,
      maxRateLimitWaits: input.options.maxRateLimitWaits ?? ENGINE_DEFAULTS.maxRateLimitWaits,
      maxRestarts: input.options.maxRestarts ?? ENRICH_DEFAULTS.maxRestarts,
      requestTimeoutMs: input.options.requestTimeoutMs ?? ENGINE_DEFAULTS.requestTimeoutMs
    };
    const s = {
      phase: "await-http",
      input: resolved,
      results: [],
      lookup: null,
      pending: null,
      run: { startedAtMs: nowMs, nowMs, latencyEstimateMs: ENGINE_DEFAULTS.initialLatencyEstimateMs, consecutiveRateLimits: 0, skewMs: null, bytes: 0 },
      counters: { apiCalls: 0, retries: 0, rateLimitWaitMs: 0, authRefreshes: 0, restarts: 0, anomalies: 0 },
      timeline: [],
      timelineDropped: 0,
      resume: "next",
      slowDownMs: 0,
      rngSeed: input.options.seed ?? 24301,
      result: null
    };
    note(s, "run_started", `${resolved.indicators.length} indicator(s), at most ${resolved.maxDeviceIdsPerIndicator} device id(s) each`);
    return nextLookup(s);
  }

  // functions/engine/enrich/enrichStep.ts
  function enrichStep(state, event) {
    if (event.kind === "start") {
      if (state !== null) return protocolError(state, "start", "a lookup that already started");
      return startLookup(event.input, event.nowMs);
    }
    if (state === null) return refuseLookup(firstEventError(event.kind));
    if (state.phase === "refused") return refuseLookup(engineError("PROTOCOL", `Event "${event.kind}" came after the lookup ended.`));
    if (state.phase === "done" || !answersLastCommand(state, event)) return protocolError(state, event.kind, state.phase);
    return handleEvent(LOOKUP, draft(state, event.nowMs), event);
  }
  function draft(state, nowMs) {
    return {
      ...state,
      lookup: state.lookup ? { ...state.lookup } : null,
      run: { ...state.run, nowMs: Math.max(nowMs, state.run.nowMs) },
      counters: { ...state.counters }
    };
  }
  function protocolError(state, event, phase) {
    const error = protocolMisuse(event, phase, "lookup");
    if (state.phase === "refused") return refuseLookup(error);
    return fail2(draft(state, state.run.nowMs), error);
  }

  // functions/engine/enrich/enrichSteps.ts
  function* enrichSteps(input, nowMs) {
    let state = null;
    let event = { kind: "start", nowMs, input };
    for (; ; ) {
      const out = enrichStep(state, event);
      state = out.state;
      const command = out.command;
      switch (command.kind) {
        case "done":
          return command.result;
        case "http":
        case "sleep":
        case "authenticate":
          event = yield ioCommandOf(command);
          break;
        default:
          return assertNever(command, "lookup command");
      }
    }
  }

  // functions/engine/pageRun/draftRun.ts
  function draftRun(state, nowMs) {
    return {
      ...state,
      input: state.input,
      cp: {
        ...state.cp,
        counters: { ...state.cp.counters },
        chain: state.cp.chain ? { ...state.cp.chain } : null
      },
      run: { ...state.run, nowMs: Math.max(nowMs, state.run.nowMs) },
      health: { ...state.health }
    };
  }

  // functions/engine/HealthRecord.ts
  var TIMELINE_LIMIT = 200;
  function appendEvent(health, event) {
    return { ...health, ...appendTimeline(health, event, TIMELINE_LIMIT) };
  }
  function newHealthRecord(id) {
    return {
      stream: id.stream,
      runId: id.runId,
      sessionId: id.sessionId,
      startedAtMs: id.startedAtMs,
      endedAtMs: id.endedAtMs,
      verdict: id.verdict,
      pages: 0,
      items: 0,
      totalAtStart: id.totalAtStart,
      duplicatesDropped: 0,
      apiCalls: 0,
      retries: 0,
      rateLimitWaitMs: 0,
      tokenMissingMidRun: 0,
      tokenExpiries: 0,
      watermarkRestarts: 0,
      depthCapRewindows: 0,
      authRefreshes: 0,
      errorsIn200: 0,
      ingestCalls: 0,
      ingestRetries: 0,
      ingestedEvents: 0,
      ingestBytes: 0,
      exportItems: id.exportItems,
      exportApiCalls: id.exportApiCalls,
      optimalCalls: id.optimalCalls,
      timeline: [],
      timelineDropped: 0
    };
  }

  // functions/engine/pageRun/note.ts
  function note2(s, kind, detail) {
    s.health = appendEvent(s.health, { atMs: s.run.nowMs, kind, detail });
  }

  // functions/engine/pageRun/runCounters.ts
  var IN_CHECKPOINT = /* @__PURE__ */ new Set([
    "items",
    "apiCalls",
    "pages",
    "tokenMissingMidRun",
    "tokenExpiries",
    "watermarkRestarts",
    "depthCapRewindows",
    "duplicatesDropped"
  ]);
  function count(s, counter, by = 1) {
    if (IN_CHECKPOINT.has(counter)) s.cp.counters[counter] += by;
    s.health[counter] += by;
  }
  function uncountPage(s, page) {
    s.health.items -= page.items;
    s.health.pages -= 1;
    s.health.duplicatesDropped -= page.dropped;
    s.cp.counters.items -= page.items;
  }

  // functions/engine/pageRun/endRun.ts
  var BUDGET_OF_STOP = {
    stopped_deadline: "deadline",
    stopped_max_pages: "max_pages",
    stopped_byte_budget: "byte_budget",
    stopped_rate_limit_wait: "rate_limit_wait"
  };
  function stop2(s, kind, detail) {
    note2(s, kind, detail);
    return finish2(s, "has_more", null, { kind: "budget", budget: BUDGET_OF_STOP[kind] });
  }
  function fail3(s, error) {
    note2(s, "failed", `${error.code}: ${error.message}`);
    return finish2(s, `failed:${error.code}`, error, { kind: "failed", code: error.code, retryable: retryableFailure(error.code) });
  }
  function countSink(s, sink) {
    count(s, "ingestCalls", sink.calls);
    count(s, "ingestRetries", sink.retries);
    count(s, "ingestedEvents", sink.events);
    count(s, "ingestBytes", sink.bytes);
    for (const line of sink.notes) note2(s, "ingest_retry", line);
  }
  function failUnstored(s, error) {
    const page = s.emitting;
    s.emitting = null;
    if (page !== null) uncountPage(s, page);
    note2(s, "failed", `${error.code}: ${error.message}`);
    return finish2(s, `failed:${error.code}`, error, { kind: "failed", code: error.code, retryable: retryableFailure(error.code) }, s.ackedCheckpoint);
  }
  function finish2(s, verdict, error = null, reason = { kind: "complete" }, resumeFrom = null) {
    if (s.run.absentFields.length > 0 && s.health.items > 0) {
      note2(s, "fields_absent", `${s.run.absentFields.join(", ")} appeared in none of the ${s.health.items} records; check the field names`);
    }
    if (s.hydration) {
      s.hydration = null;
      s.cp.chain = null;
    }
    if (verdict === "complete") note2(s, "complete", `${s.cp.counters.items} records in ${s.cp.counters.apiCalls} calls`);
    s.pending = null;
    s.health.endedAtMs = s.run.nowMs;
    s.health.verdict = verdict;
    s.health.exportItems = s.cp.counters.items;
    s.health.exportApiCalls = s.cp.counters.apiCalls;
    const checkpoint = resumeFrom ?? checkpointString(s);
    const result = {
      verdict,
      hasMore: verdict === "has_more" ? "true" : "false",
      checkpoint,
      resume: { safe: true, checkpoint },
      stop: reason,
      health: s.health,
      error
    };
    const state = { ...s, phase: "done", result };
    return { state, command: { kind: "done", result } };
  }
  function checkpointString(s) {
    s.cp.seq++;
    return encodeCheckpoint(s.cp, s.input.checkpointKeys);
  }

  // functions/engine/pageRun/chainMoves.ts
  function dropChain(s) {
    const spec = STREAMS[s.input.stream];
    const tail = s.cp.chain?.tail ?? null;
    s.cp.chain = null;
    if (tail === null || spec.style !== "after-body" && spec.style !== "after-query") return;
    const rechecks = withSpan(s.cp.rechecks, tail);
    if (rechecks === null) {
      s.cp.orderViolated = true;
      note2(s, "out_of_order", "the spans to read again behind abandoned cursors do not fit one checkpoint; the export cannot be proven complete");
    }
    s.cp.rechecks = rechecks ?? [];
  }
  function restart(s) {
    dropChain(s);
    count(s, "watermarkRestarts");
    s.run.barrenRestarts++;
    note2(s, "watermark_restart", `${s.cp.ranges.length} range(s) from ${describeBound(s.cp.ranges[0]?.from ?? null)}`);
  }
  function endExport(s) {
    s.cp.ranges = [];
    s.cp.chain = null;
    s.cp.rechecks = [];
  }
  function describeBound(bound) {
    return bound ? `${String(bound.value)} (${bound.ids.length} id(s) already exported)` : "the beginning";
  }

  // functions/engine/buildRequest.ts
  function query2(params) {
    const parts = [];
    for (const [key, value] of params) {
      if (value === void 0 || value === "") continue;
      parts.push(`${key}=${encodeURIComponent(String(value))}`);
    }
    return parts.length ? `?${parts.join("&")}` : "";
  }
  var JSON_HEADERS2 = { Accept: "application/json" };
  function chainFilter(spec, userFilter, ranges) {
    const filter = andFilters(userFilter, rangesFilter(spec.watermarkField, spec.watermarkKind, ranges));
    if (!filter && spec.filterRequired) {
      return `${spec.watermarkField}:>=${fqlLiteral(spec.watermarkKind, spec.watermarkKind === "epoch" ? 0 : "1970-01-01T00:00:00.000Z")}`;
    }
    return filter;
  }
  function pageRequest(spec, chain, limit, offset = 0) {
    const sort = ascendingSort(spec);
    const cursor = chain.cursor;
    switch (spec.style) {
      case "offset": {
        return get(spec.path + query2([["filter", chain.filter], ["limit", limit], ["offset", offset], ["sort", sort]]));
      }
      case "scroll": {
        const token = cursor?.kind === "scroll" ? cursor.token : void 0;
        return get(spec.path + query2([["filter", chain.filter], ["limit", chain.limit], ["sort", sort], ["offset", token]]));
      }
      case "after-query": {
        const after = cursor?.kind === "after" ? cursor.token : void 0;
        return get(spec.path + query2([["filter", chain.filter], ["limit", limit], ["sort", sort], [afterTokenOf(spec).param, after]]));
      }
      case "after-body":
        return afterBodyRequest(spec, chain, limit, sort);
      case "marker": {
        if (cursor?.kind === "next-page") return get(cursor.path);
        return get(spec.path + query2([["filter", chain.filter], ["limit", limit], ["sort", sort]]));
      }
      default:
        return assertNever(spec.style, "pagination style");
    }
  }
  function afterBodyRequest(spec, chain, limit, sort) {
    const body = { limit, sort };
    if (chain.filter) body.filter = chain.filter;
    if (chain.cursor?.kind === "after") body.after = chain.cursor.token;
    return {
      method: "POST",
      path: spec.path,
      headers: { ...JSON_HEADERS2, "Content-Type": "application/json" },
      body: JSON.stringify(body)
    };
  }
  function hydrateRequest(spec, ids) {
    if (!spec.hydrate) throw new TypeError(`stream ${spec.name} does not hydrate`);
    return {
      method: spec.hydrate.method,
      path: spec.hydrate.path,
      headers: { ...JSON_HEADERS2, "Content-Type": "application/json" },
      body: JSON.stringify({ [spec.hydrate.idsKey]: ids })
    };
  }
  function get(path) {
    return { method: "GET", path, headers: { ...JSON_HEADERS2 }, body: null };
  }

  // functions/engine/pageRun/ChainState.ts
  function chainStateOf(state) {
    if (state.phase === "done" || state.phase === "refused") return "ended";
    const { cp } = state;
    if (cp.ranges.length === 0 && cp.rechecks.length === 0) return "complete";
    if (state.hydration !== null) return "hydrating";
    if (cp.chain !== null && cp.chain.cursor !== null) return "following";
    return cp.ranges.length === 0 ? "rechecking" : "open";
  }

  // functions/engine/pageRun/cursorExpiry.ts
  function cursorExpired(s, cursor) {
    const margin = ENGINE_DEFAULTS.cursorExpiryMarginMs + s.run.latencyEstimateMs;
    const expiresAt = cursorExpiresAt(s, cursor);
    return expiresAt !== null && serverNow(PAGE_RUN, s) + margin > expiresAt;
  }
  function cursorExpiresAt(s, cursor) {
    if (!cursor) return null;
    switch (cursor.kind) {
      case "offset":
      case "next-page":
        return null;
      case "scroll":
        return cursor.expiresAtServerMs;
      case "after":
        return cursor.obtainedAtServerMs + s.input.cursorTtlMs;
      default:
        return assertNever(cursor, "cursor");
    }
  }

  // functions/engine/pageRun/planPage.ts
  function completion(s) {
    if (chainStateOf(s) !== "complete") return null;
    if (!s.cp.orderViolated) return { kind: "complete" };
    return {
      kind: "fail",
      error: engineError(
        "ORDER_VIOLATED",
        "Falcon returned records out of its own sort order behind the pages already exported; whether each was exported cannot be proven, so the export is not reported complete. Start a new export (a new session) to read everything again.",
        {}
      )
    };
  }
  function pageBudget(s) {
    if (s.input.maxPages === null || s.run.pages < s.input.maxPages) return null;
    return { kind: "stop", stop: "stopped_max_pages", detail: `${s.run.pages} page(s)` };
  }
  function noProgress(s) {
    if (s.run.barrenRestarts <= ENGINE_DEFAULTS.maxBarrenRestarts) return null;
    return {
      kind: "fail",
      error: engineError("NO_PROGRESS", `${s.run.barrenRestarts} restarts in a row exported nothing new; the API keeps answering the same records.`, {
        ranges: s.cp.ranges.length
      })
    };
  }
  function notBeforeWait(s) {
    if (s.cp.notBeforeServerMs === null) return null;
    const waitMs = s.cp.notBeforeServerMs - serverNow(PAGE_RUN, s);
    if (waitMs <= 0) return { kind: "not-before-passed" };
    if (fits(PAGE_RUN, s, waitMs + s.run.latencyEstimateMs)) return { kind: "not-before-wait", ms: waitMs, whole: true };
    const partialMs = (s.input.deadlineAtMs ?? 0) - s.run.nowMs - ENGINE_DEFAULTS.deadlineMarginMs;
    if (partialMs <= 0) return { kind: "stop", stop: "stopped_rate_limit_wait", detail: `${waitMs} ms of rate-limit wait left` };
    return { kind: "not-before-wait", ms: partialMs, whole: false };
  }
  function slowingDown(s) {
    const pace = slowDown(PAGE_RUN, s);
    return pace.kind === "none" ? null : { kind: "slow-down", pace };
  }
  function cursorExpiry(s) {
    const cursor = s.cp.chain?.cursor;
    if (!cursor || !cursorExpired(s, cursor)) return null;
    return { kind: "expire-cursor", detail: `${cursor.kind} cursor would expire before the next request; restarting from the watermark` };
  }
  var PAGE_POLICIES = [completion, pageBudget, noProgress, notBeforeWait, slowingDown, cursorExpiry];

  // functions/engine/pageRun/depthCapOf.ts
  function depthCapOf(s, spec) {
    if (spec.style !== "offset") return null;
    const caps = [spec.depthCap, s.cp.learnedDepthCap].filter((c) => c !== null);
    return caps.length ? Math.min(...caps) : null;
  }

  // functions/engine/pageRun/sizePage.ts
  function sizePage(s, spec) {
    const base = Math.min(s.input.pageLimit, s.cp.learnedPageLimit ?? Infinity);
    const chain = s.cp.chain ?? {
      cursor: null,
      pages: 0,
      received: 0,
      firstTotal: null,
      lastTotal: null,
      totalMoved: false,
      barrenPages: 0,
      limit: base,
      filter: chainFilter(spec, s.input.filter, rangesWithSpans(s.cp.ranges, s.cp.rechecks)),
      lastId: null,
      lastKey: null,
      tail: null
    };
    const offset = chain.cursor?.kind === "offset" ? chain.cursor.offset : 0;
    const overlapId = spec.style === "offset" && offset > 0 ? chain.lastId : null;
    const newChain = spec.style === "offset" ? offset === 0 : chain.cursor === null;
    const known = newChain ? (s.cp.ranges[0]?.from?.ids.length ?? 0) + s.cp.rechecks.reduce((n, span) => n + span.ids.length, 0) : 0;
    let limit = capped(s, spec, base, offset, Boolean(overlapId));
    if (newChain) {
      limit = Math.min(spec.maxLimit, Math.max(limit, known + 1));
      if (s.input.maxResponseBytes === null) limit = alignedToBatches(spec, limit, known);
    }
    if (s.input.maxResponseBytes === null) return { kind: "request", chain, limit, offset, overlapId };
    return withinByteBudget(s, spec, chain, s.input.maxResponseBytes, { limit, known, offset, overlapId });
  }
  function capped(s, spec, limit, offset, overlap2) {
    const cap = depthCapOf(s, spec);
    let out = limit;
    if (cap !== null) out = Math.max(1, Math.min(out, cap - offset));
    if (overlap2) out = Math.max(1, Math.min(out, spec.maxLimit - 1));
    return out;
  }
  function alignedToBatches(spec, limit, known) {
    if (spec.style !== "offset" || !spec.hydrate) return limit;
    const aligned = Math.floor((limit - known) / spec.hydrate.maxIds) * spec.hydrate.maxIds + known;
    return aligned - known >= spec.hydrate.maxIds ? aligned : limit;
  }
  function withinByteBudget(s, spec, chain, maxBytes, page) {
    const perItem = s.run.avgItemBytes ?? spec.typicalItemBytes;
    const fit = s.run.bytes === 0 ? Math.max(1, Math.floor(maxBytes / perItem)) : Math.floor((maxBytes - s.run.bytes) / perItem);
    const fixedScroll = spec.style === "scroll" && chain.cursor !== null;
    if (fixedScroll && chain.limit > fit && fit >= 1 && s.run.bytes === 0) {
      return { kind: "reopen-scroll", detail: `a scroll page of ${chain.limit} records does not fit ${maxBytes} bytes; reopening it with ${fit}` };
    }
    if (fit < 1 || fixedScroll && chain.limit > fit) return { kind: "stop-byte-budget", detail: `${s.run.bytes} bytes used` };
    const limit = Math.min(page.limit, spec.style === "scroll" ? Math.max(fit, page.known + 1) : page.known + fit);
    return { kind: "request", chain, limit, offset: page.offset, overlapId: page.overlapId };
  }

  // functions/engine/pageRun/nextPage.ts
  function nextPage(s) {
    for (const policy of PAGE_POLICIES) {
      const plan = policy(s);
      if (plan === null) continue;
      const out = follow(s, plan);
      if (out !== null) return out;
    }
    return requestPage(s);
  }
  function follow(s, plan) {
    switch (plan.kind) {
      case "complete":
        s.cp.complete = true;
        s.cp.chain = null;
        return finish2(s, "complete");
      case "fail":
        return fail3(s, plan.error);
      case "stop":
        return stop2(s, plan.stop, plan.detail);
      case "not-before-passed":
        s.cp.notBeforeServerMs = null;
        return null;
      case "not-before-wait":
        if (plan.whole) s.cp.notBeforeServerMs = null;
        count(s, "rateLimitWaitMs", plan.ms);
        return { state: s, command: sleep(s, plan.ms, "not-before", "next") };
      case "slow-down":
        s.slowDownMs = 0;
        return plan.pace.kind === "wait" ? waitOut(PAGE_RUN, s, plan.pace.ms, "slow-down", "next") : stop2(s, "stopped_deadline", plan.pace.detail);
      case "expire-cursor":
        count(s, "tokenExpiries");
        note2(s, "token_expired", plan.detail);
        restart(s);
        return null;
      default:
        return assertNever(plan, "page plan");
    }
  }
  function requestPage(s) {
    const spec = STREAMS[s.input.stream];
    const size = sizePage(s, spec);
    switch (size.kind) {
      case "reopen-scroll":
        note2(s, "page_truncated_to_budget", size.detail);
        restart(s);
        return nextPage(s);
      case "stop-byte-budget":
        return stop2(s, "stopped_byte_budget", size.detail);
      case "request":
        break;
      default:
        return assertNever(size, "page size");
    }
    const { chain, limit, offset, overlapId } = size;
    if (spec.style === "scroll" && chain.cursor === null) chain.limit = limit;
    const calls = 1 + (spec.hydrate ? Math.ceil(limit / spec.hydrate.maxIds) : 0);
    if (!fits(PAGE_RUN, s, s.run.latencyEstimateMs * calls)) return stop2(s, "stopped_deadline", "the next page would not finish before the deadline");
    s.cp.chain = chain;
    const requestOffset = overlapId ? offset - 1 : offset;
    const requestLimit = overlapId ? limit + 1 : limit;
    const pending = {
      purpose: "page",
      request: pageRequest(spec, chain, requestLimit, requestOffset),
      attempt: 0,
      authRefreshed: false,
      sentAtMs: s.run.nowMs,
      offset: requestOffset,
      limit: requestLimit,
      withCursor: chain.cursor !== null && chain.cursor.kind !== "offset",
      overlapId
    };
    return { state: s, command: send(s, pending) };
  }

  // functions/engine/pageRun/ChainMove.ts
  var CHAIN_TRANSITIONS = {
    follow: { chain: "follow", counter: null, event: null, noteFirst: false, barren: false },
    end: { chain: "end", counter: null, event: null, noteFirst: false, barren: false },
    // Proof queries that keep finding nothing new yet never end count as no progress (NO_PROGRESS), not a loop.
    confirm: { chain: "drop", counter: null, event: "end_unproven", noteFirst: false, barren: true },
    "token-missing": { chain: "restart", counter: "tokenMissingMidRun", event: "token_missing_mid_run", noteFirst: true, barren: false },
    "stuck-cursor": { chain: "restart", counter: null, event: "cursor_refused", noteFirst: true, barren: false },
    // restart() itself counts towards NO_PROGRESS: a cursor that keeps doing this ends the run, resumable.
    "barren-cursor": { chain: "restart", counter: null, event: "cursor_barren", noteFirst: true, barren: false },
    "empty-page": { chain: "restart", counter: null, event: "empty_page_mid_chain", noteFirst: true, barren: false },
    "past-ranges": { chain: "drop", counter: null, event: "watermark_restart", noteFirst: false, barren: false },
    rechain: { chain: "drop", counter: null, event: null, noteFirst: false, barren: false },
    // A window that only re-reads exported boundary ids (more ties than the cap holds) makes no progress.
    rewindow: { chain: "forget", counter: "depthCapRewindows", event: "depth_cap_rewindow", noteFirst: true, barren: true },
    "marker-fallback": { chain: "forget", counter: null, event: "marker_fallback", noteFirst: true, barren: false },
    abandon: { chain: "drop", counter: null, event: null, noteFirst: false, barren: false }
  };
  function applyChainMove(s, move) {
    const t = CHAIN_TRANSITIONS[move.kind];
    const detail = "detail" in move ? move.detail : null;
    if (t.counter !== null) count(s, t.counter);
    if (t.event !== null && t.noteFirst && detail !== null) note2(s, t.event, detail);
    applyEffect(s, t.chain, move);
    if (t.barren) s.run.barrenRestarts++;
    if (t.event !== null && !t.noteFirst && detail !== null) note2(s, t.event, detail);
  }
  function applyEffect(s, effect, move) {
    switch (effect) {
      case "follow":
        if (s.cp.chain && move.kind === "follow") s.cp.chain.cursor = move.cursor;
        return;
      case "end":
        endExport(s);
        return;
      case "drop":
        dropChain(s);
        return;
      case "forget":
        s.cp.chain = null;
        return;
      case "restart":
        restart(s);
        return;
      default:
        assertNever(effect, "chain effect");
    }
  }

  // functions/engine/pageRun/chainAccounting.ts
  function orderCheck(s) {
    const chain = s.cp.chain;
    const rechecks = s.cp.rechecks;
    const boundIds = new Set(s.cp.ranges.flatMap((r) => [...r.from?.ids ?? [], ...r.to?.ids ?? []]));
    const check = {
      violated: false,
      judge(k) {
        if (boundIds.has(k.id)) return "duplicate";
        const recheck = rechecks.find((span) => spanCovers(span, k.value));
        if (recheck) return recheck.ids.includes(idHash(k.id)) ? "duplicate" : "new";
        if (!chain || chain.pages === 0 || chain.lastKey === null) return "duplicate";
        if (compareKeys(k, chain.lastKey) >= 0) return "duplicate";
        if (chain.tail !== null && chain.tail.ids.includes(idHash(k.id))) return "duplicate";
        if (chain.tail !== null && spanCovers(chain.tail, k.value)) return "new";
        check.violated = true;
        return "duplicate";
      }
    };
    return check;
  }
  function accountPage(s, spec, page) {
    const { facts, keyed, truncated, accepted } = page;
    const dropped = truncated ? 0 : page.dropped;
    const { last, narrowed } = narrowRanges(s, facts, coveredKeys(s, page));
    const pageLast = keyed[keyed.length - 1];
    const readTo = truncated ? accepted[accepted.length - 1]?.value ?? null : pageLast === void 0 ? null : facts.returned < facts.asked && facts.chainEnded ? "end" : pageLast.value;
    settleRechecks(s, accepted, readTo);
    for (const k of accepted) s.cp.high = raiseHigh(s.cp.high, k.value, k.id);
    if (accepted.length > 0) s.run.barrenRestarts = 0;
    countPage(s, page, dropped);
    if (largestBound(s.cp.ranges) > MAX_BOUND_IDS) return false;
    if (truncated) {
      const lastKept = accepted[accepted.length - 1];
      rememberPage(s, lastKept ? keyed.filter((k) => compareKeys(k, lastKept) <= 0) : [], page);
      dropChain(s);
    } else {
      rememberPage(s, keyed, page);
      advanceChain(s, spec, facts, { accepted: accepted.length, narrowed, lastValue: last?.value ?? null });
    }
    return true;
  }
  function coveredKeys(s, page) {
    const { facts, keyed, accepted } = page;
    const covered = facts.knownKeys.length ? [...keyed, ...facts.knownKeys].sort(compareKeys) : keyed;
    if (!page.truncated) return covered;
    const lastKept = accepted[accepted.length - 1];
    note2(s, "page_truncated_to_budget", `${accepted.length} of ${keyed.length} records fit the response budget`);
    return lastKept ? covered.filter((k) => compareValues(k.value, lastKept.value) < 0 || accepted.some((c) => c.id === k.id)) : [];
  }
  function countPage(s, page, dropped) {
    count(s, "items", page.accepted.length);
    count(s, "pages");
    count(s, "duplicatesDropped", dropped);
    note2(s, "page", `${page.accepted.length} new record(s)${dropped > 0 ? `, ${dropped} already exported` : ""}`);
    s.run.pages++;
    s.run.bytes += page.bytes;
    if (page.sizes.length > 0) {
      const avg = page.bytes / page.sizes.length;
      s.run.avgItemBytes = s.run.avgItemBytes === null ? avg : Math.round(0.5 * s.run.avgItemBytes + 0.5 * avg);
    }
  }
  function narrowRanges(s, facts, coveredKeys2) {
    const first = coveredKeys2[0];
    const last = coveredKeys2[coveredKeys2.length - 1];
    if (!last || !first) return { last, narrowed: false };
    const coverage = { first: facts.adjacent ? null : boundAt(coveredKeys2, first.value), last: boundAt(coveredKeys2, last.value) };
    const remaining = subtractCoverage(s.cp.ranges, coverage);
    const narrowed = JSON.stringify(remaining) !== JSON.stringify(s.cp.ranges);
    if (narrowed) s.run.barrenRestarts = 0;
    s.cp.ranges = remaining;
    return { last, narrowed };
  }
  function boundAt(keys, value) {
    return { value, ids: keys.filter((k) => compareValues(k.value, value) === 0).map((k) => k.id) };
  }
  function rememberPage(s, keyed, page) {
    const chain = s.cp.chain;
    const last = keyed[keyed.length - 1];
    if (!chain || !last) return;
    chain.lastKey = chain.lastKey !== null && compareKeys(chain.lastKey, last) > 0 ? chain.lastKey : { value: last.value, id: last.id };
    chain.tail = vouchedSpanOf(keyed, page.queried, page.firstOfChain, page.exportedBefore);
  }
  function settleRechecks(s, exported, readTo) {
    if (s.cp.rechecks.length === 0) return;
    const rechecks = settleSpans(s.cp.rechecks, exported, readTo);
    if (rechecks === null) {
      s.cp.orderViolated = true;
      note2(s, "out_of_order", "the spans to read again do not fit one checkpoint; the export cannot be proven complete");
    }
    s.cp.rechecks = rechecks ?? [];
  }
  function advanceChain(s, spec, facts, page) {
    const chain = s.cp.chain;
    if (!chain || facts.abandoned) {
      applyChainMove(s, { kind: "abandon" });
      return;
    }
    const fresh = recordPage(s, spec, chain, facts, page.accepted > 0 || page.narrowed);
    applyChainMove(s, judgeChain(s, spec, chain, facts, { fresh, accepted: page.accepted, lastValue: page.lastValue }));
  }
  function recordPage(s, spec, chain, facts, progress) {
    const fresh = chain.pages === 0;
    chain.pages++;
    chain.received += facts.returned;
    chain.barrenPages = progress ? 0 : chain.barrenPages + 1;
    if (chain.firstTotal === null) chain.firstTotal = facts.total;
    if (facts.total !== null && chain.lastTotal !== null && facts.total !== chain.lastTotal && !chain.totalMoved) {
      note2(s, "total_changed", `total went from ${chain.lastTotal} to ${facts.total} within one chain`);
      chain.totalMoved = true;
    }
    if (facts.total !== null) chain.lastTotal = facts.total;
    if (spec.style === "offset") chain.lastId = facts.lastId ?? chain.lastId;
    return fresh;
  }
  function judgeChain(s, spec, chain, facts, page) {
    const short = facts.returned < facts.asked;
    const totalSaysMore = facts.total !== null && facts.total > facts.returned;
    const cursorGoesOn = isAfter(spec) && !facts.chainEnded;
    if (page.fresh && short && page.accepted === 0 && !totalSaysMore && !cursorGoesOn) return { kind: "end" };
    if (spec.style === "offset") return judgeWindow(s, spec, chain, facts, short);
    if (!facts.chainEnded && !(spec.style === "scroll" && short)) return judgeCursor(s, spec, chain, facts, page);
    return judgeCursorEnd(s, spec, chain, facts, short);
  }
  function judgeWindow(s, spec, chain, facts, short) {
    const nextOffset = facts.requestOffset + facts.returned;
    if (short) {
      if (facts.total !== null && nextOffset < facts.total) {
        return { kind: "token-missing", detail: `${facts.returned} of ${facts.asked} records at offset ${facts.requestOffset} of ${facts.total}` };
      }
      if (chain.totalMoved) return { kind: "confirm", detail: endUnproven("total moved during the window") };
      return { kind: "end" };
    }
    const cap = depthCapOf(s, spec);
    const fullPage = Math.min(s.input.pageLimit, s.cp.learnedPageLimit ?? Infinity);
    if (cap !== null && cap - nextOffset < Math.max(1, Math.floor(fullPage / 2))) {
      return { kind: "rewindow", detail: `offset ${nextOffset} + limit would pass the ${cap} cap; new window from the watermark` };
    }
    return { kind: "follow", cursor: { kind: "offset", offset: nextOffset } };
  }
  function judgeCursor(s, spec, chain, facts, page) {
    if (isAfter(spec) && !page.fresh && facts.returned === 0) {
      return { kind: "empty-page", detail: "a page came back empty while its cursor goes on; asking from the watermark" };
    }
    if (facts.next?.kind === "after" && chain.cursor?.kind === "after" && facts.next.token === chain.cursor.token && page.accepted === 0) {
      return { kind: "stuck-cursor", detail: "the cursor did not advance; asking from the watermark" };
    }
    if (chain.barrenPages >= ENGINE_DEFAULTS.maxBarrenChainPages) {
      return { kind: "barren-cursor", detail: `${chain.barrenPages} pages in a row brought nothing new; asking from the watermark` };
    }
    if (page.lastValue !== null && pastEveryRange(s.cp.ranges, page.lastValue)) {
      return { kind: "past-ranges", detail: `the cursor passed every remaining range at ${String(page.lastValue)}` };
    }
    return rangeFilterTooLong(spec, s.cp.ranges) ? { kind: "rechain" } : { kind: "follow", cursor: facts.next };
  }
  function judgeCursorEnd(s, spec, chain, facts, short) {
    if (isAfter(spec)) return judgeAfterEnd(chain, facts);
    if (spec.style === "marker" && facts.markerWithoutLink && facts.returned > 0 && !short) {
      const first = s.health.timeline.every((e) => e.kind !== "marker_fallback");
      return { kind: "marker-fallback", detail: first ? "no Next-Page header; continuing with the _marker filter" : null };
    }
    const expected = spec.style === "scroll" ? chain.firstTotal : facts.total;
    const received = spec.style === "scroll" ? chain.received : facts.returned;
    if (facts.chainEnded && expected !== null && received < expected) return { kind: "token-missing", detail: `cursor ended after ${received} of ${expected} records` };
    return { kind: "confirm", detail: endUnproven(spec.style === "scroll" ? "the scroll ended" : "the Next-Page walk ended") };
  }
  function judgeAfterEnd(chain, facts) {
    const expected = facts.total;
    if (expected !== null && chain.received < expected) return { kind: "token-missing", detail: `cursor ended after ${chain.received} of ${expected} records` };
    return { kind: "confirm", detail: endUnproven(chain.totalMoved ? "total moved during the chain" : "the cursor ended") };
  }
  function endUnproven(why) {
    return `${why}; one query from the watermark confirms nothing is left`;
  }
  function isAfter(spec) {
    return spec.style === "after-body" || spec.style === "after-query";
  }
  function pastEveryRange(ranges, value) {
    return ranges.length > 0 && ranges.every((r) => r.to !== null && compareValues(value, r.to.value) > 0);
  }
  function rangeFilterTooLong(spec, ranges) {
    return ranges.length > 1 && rangesFilter(spec.watermarkField, spec.watermarkKind, ranges).length > ENGINE_DEFAULTS.maxRangeFilterChars;
  }

  // functions/engine/pageRun/project.ts
  function hasPath(item, path) {
    let source = item;
    for (const part of path.split(".")) {
      if (source === null || typeof source !== "object" || !Object.hasOwn(source, part)) return false;
      source = source[part];
    }
    return true;
  }
  function project(fields, spec, item) {
    if (!fields) return item;
    const out = /* @__PURE__ */ Object.create(null);
    for (const path of [spec.idField, ...fields]) {
      const parts = path.split(".");
      let source = item;
      for (const part of parts) source = source !== null && typeof source === "object" && Object.hasOwn(source, part) ? source[part] : void 0;
      if (source === void 0) continue;
      let target = out;
      parts.forEach((part, i) => {
        if (i === parts.length - 1) target[part] = source;
        else {
          const existing = Object.hasOwn(target, part) ? target[part] : void 0;
          target = existing !== null && typeof existing === "object" ? existing : target[part] = /* @__PURE__ */ Object.create(null);
        }
      });
    }
    return out;
  }

  // functions/engine/pageRun/acceptPage.ts
  function acceptPage(s, rawItems, facts) {
    const spec = STREAMS[s.input.stream];
    const keyed = keysOf(spec, rawItems);
    if (keyed === null) {
      return fail3(s, engineError("SCHEMA_MISMATCH", `A ${spec.name} record lacks "${spec.idField}" or "${spec.watermarkField}"; the watermark cannot be kept.`, {}));
    }
    const before = s.cp.ranges;
    const queried = rangesWithSpans(before, s.cp.rechecks);
    const firstOfChain = (s.cp.chain?.pages ?? 0) === 0;
    const exportedBefore = [...s.cp.rechecks, ...boundSpans(before)];
    const accepted = newRecords(s, keyed);
    const dropped = keyed.length - accepted.length;
    if (s.run.absentFields.length > 0) {
      s.run = { ...s.run, absentFields: s.run.absentFields.filter((path) => !accepted.some((k) => hasPath(k.item, path))) };
    }
    const out = withinBudget(s, spec, accepted);
    if (out.overflowSize !== null && out.emitted.length === 0) return tooLarge(s, spec, out.overflowSize);
    const truncated = out.overflowSize !== null;
    const page = {
      facts,
      keyed,
      accepted: truncated ? accepted.slice(0, out.emitted.length) : accepted,
      dropped,
      truncated,
      bytes: out.bytes,
      sizes: out.sizes,
      queried,
      firstOfChain,
      exportedBefore
    };
    if (!accountPage(s, spec, page)) {
      return fail3(s, engineError("NO_PROGRESS", `More than ${MAX_BOUND_IDS} records share one ${spec.watermarkField} value; the watermark cannot move past them.`, {}));
    }
    const checkpoint = checkpointString(s);
    s.phase = "await-emit";
    s.emitting = { checkpoint, items: page.accepted.length, dropped: truncated ? 0 : dropped };
    s.health.exportItems = s.cp.counters.items;
    s.health.exportApiCalls = s.cp.counters.apiCalls;
    return { state: s, command: { kind: "emit", items: out.emitted, checkpoint, bytes: out.bytes } };
  }
  function keysOf(spec, rawItems) {
    const keyed = [];
    for (const item of rawItems) {
      const value = item[spec.watermarkField];
      const id = item[spec.idField];
      if (typeof id !== "string" || typeof value !== "string" && typeof value !== "number") return null;
      keyed.push({ item, value, id });
    }
    return keyed.sort(compareKeys);
  }
  function newRecords(s, keyed) {
    const before = s.cp.ranges;
    const seen = /* @__PURE__ */ new Set();
    const order = orderCheck(s);
    const accepted = keyed.filter((k) => {
      if (seen.has(k.id)) return false;
      if (!inRanges(before, k.value, k.id)) {
        const verdict = order.judge(k);
        if (verdict !== "new") return false;
        note2(s, "out_of_order", `${k.id} came after records it sorts behind; it was never exported, so it is kept`);
      }
      seen.add(k.id);
      return true;
    });
    if (order.violated) {
      s.cp.orderViolated = true;
      note2(s, "out_of_order", "a record came back behind the chain with no way to tell whether it was exported; the export cannot be proven complete");
    }
    return accepted;
  }
  function withinBudget(s, spec, accepted) {
    const emitted = [];
    const sizes = [];
    let bytes = 0;
    for (const k of accepted) {
      const projected = project(s.input.fields, spec, k.item);
      const size = JSON.stringify(projected).length + 1;
      if (s.input.maxResponseBytes !== null && s.run.bytes + bytes + size > s.input.maxResponseBytes) return { emitted, bytes, sizes, overflowSize: size };
      emitted.push(projected);
      sizes.push(size);
      bytes += size;
    }
    return { emitted, bytes, sizes, overflowSize: null };
  }
  function tooLarge(s, spec, firstSize) {
    s.run.avgItemBytes = Math.max(s.run.avgItemBytes ?? 0, firstSize);
    dropChain(s);
    if (s.run.bytes === 0) {
      return fail3(
        s,
        engineError(
          "RECORD_TOO_LARGE",
          `One ${spec.name} record takes ${firstSize} bytes, more than the whole response budget of ${s.input.maxResponseBytes} (--max-bytes, max_response_bytes); project records with fields or raise the budget.`,
          { bytes: firstSize, budget: s.input.maxResponseBytes }
        )
      );
    }
    return stop2(s, "stopped_byte_budget", `the next record (${firstSize} bytes) does not fit the ${(s.input.maxResponseBytes ?? 0) - s.run.bytes} bytes left`);
  }

  // functions/engine/pageRun/hydration.ts
  function sendHydrate(s) {
    const spec = STREAMS[s.input.stream];
    const h = s.hydration;
    if (!h) return fail3(s, protocolMisuse("hydrate", "no hydration", "engine"));
    if (!fits(PAGE_RUN, s, s.run.latencyEstimateMs)) return stop2(s, "stopped_deadline", "the entities call would not finish before the deadline");
    const batch = h.queue.slice(0, h.batchSize);
    s.hydration = { ...h, batch, queue: h.queue.slice(batch.length) };
    const command = send(s, {
      purpose: "hydrate",
      request: hydrateRequest(spec, batch),
      attempt: 0,
      authRefreshed: false,
      sentAtMs: s.run.nowMs,
      offset: 0,
      limit: batch.length,
      withCursor: false,
      overlapId: null
    });
    return { state: s, command };
  }
  function splitHydrate(s) {
    const h = s.hydration;
    if (!h) return fail3(s, protocolMisuse("hydrate", "no hydration", "engine"));
    const half = Math.ceil(h.batch.length / 2);
    s.hydration = { ...h, queue: [...h.batch, ...h.queue], batch: [], batchSize: half };
    note2(s, "hydrate_split", `413 for ${h.batch.length} ids; batches of ${half}`);
    return sendHydrate(s);
  }
  function onHydrated(s, envelope) {
    const h = s.hydration;
    if (!h) return fail3(s, protocolMisuse("http-response", "entities without a hydration", "engine"));
    const spec = STREAMS[s.input.stream];
    const asked = new Set(h.batch);
    const items = (envelope.resources ?? []).filter((r) => typeof r === "object" && r !== null && asked.has(String(r[spec.idField])));
    const received = new Set(items.map((item) => String(item[spec.idField])));
    const deleted = new Set((envelope.errors ?? []).filter((e) => e.code === 404 && e.id !== void 0).map((e) => e.id));
    const missing = h.batch.filter((id) => !received.has(id) && !deleted.has(id));
    if (missing.length > 0) {
      const again = missing.filter((id) => h.retried.includes(id));
      note2(s, "entities_missing", `${missing.length} of ${h.batch.length} ids left out of the entities answer${again.length > 0 ? `, ${again.length} of them again` : ""}`);
      if (again.length === 0) {
        s.hydration = { ...h, queue: [...missing, ...h.queue], batch: [], collected: [...h.collected, ...items], retried: [...h.retried, ...missing] };
        return sendHydrate(s);
      }
      s.hydration = null;
      s.pending = null;
      restart(s);
      return nextPage(s);
    }
    s.hydration = { ...h, batch: [], collected: [...h.collected, ...items] };
    if (s.hydration.queue.length > 0) return sendHydrate(s);
    s.hydration = null;
    return acceptPage(s, [...h.collected, ...items], h.page);
  }

  // functions/engine/optimalCalls.ts
  function optimalCalls(spec, total) {
    const size = maxPageSize(spec);
    const pages = spec.style === "offset" ? Math.floor(total / size) + 1 : Math.ceil(total / size) + 1;
    return pages + (spec.hydrate ? Math.ceil(total / spec.hydrate.maxIds) : 0);
  }

  // functions/engine/pageRun/readPage.ts
  function readPage(s, pending, envelope, headers) {
    const spec = STREAMS[s.input.stream];
    const chain = s.cp.chain;
    if (!chain) return fail3(s, protocolMisuse("http-response", "a page without a chain", "engine"));
    let resources = envelope.resources ?? [];
    let requestOffset = pending.offset;
    if (pending.overlapId !== null) {
      if (resources[0] !== pending.overlapId) {
        note2(s, "window_shifted", `offset ${pending.offset} no longer starts with the previous page's last record; re-windowing`);
        s.pending = null;
        restart(s);
        return nextPage(s);
      }
      resources = resources.slice(1);
      requestOffset = pending.offset + 1;
    }
    if (s.cp.boundServerMs === null) boundExport(s, spec);
    const pagination = envelope.meta.pagination;
    const total = typeof pagination?.total === "number" ? pagination.total : null;
    if (s.cp.totalAtStart === null && total !== null) {
      s.cp.totalAtStart = total;
      s.health.totalAtStart = total;
      s.health.optimalCalls = optimalCalls(spec, total);
    }
    const { next, chainEnded: chainEnded2 } = nextCursorOf(s, spec, envelope, headers, resources.length);
    const facts = {
      returned: resources.length,
      asked: askedFor(spec, chain, pending),
      total,
      next,
      chainEnded: chainEnded2,
      requestOffset,
      adjacent: chain.pages === 0 || spec.style === "marker" || pending.overlapId !== null,
      lastId: typeof resources[resources.length - 1] === "string" ? resources[resources.length - 1] : null,
      markerWithoutLink: spec.style === "marker" && header(headers, "next-page") === void 0,
      abandoned: false,
      knownKeys: []
    };
    return spec.hydrate ? listedIds(s, spec, resources, facts) : records(s, spec, resources, facts);
  }
  function records(s, spec, resources, facts) {
    const items = resources.filter((r) => typeof r === "object" && r !== null);
    if (items.length !== resources.length) return fail3(s, engineError("SCHEMA_MISMATCH", `${spec.path} returned ids where records were expected.`, {}));
    return acceptPage(s, items, facts);
  }
  function listedIds(s, spec, resources, facts) {
    const ids = resources.filter((r) => typeof r === "string");
    if (ids.length !== resources.length || !spec.hydrate) return fail3(s, engineError("SCHEMA_MISMATCH", `${spec.path} returned objects where ids were expected.`, {}));
    const known = /* @__PURE__ */ new Map();
    for (const r of s.cp.ranges) for (const b of [r.from, r.to]) if (b) for (const id of b.ids) known.set(id, b.value);
    const unique = [...new Set(ids)];
    const queue = unique.filter((id) => !known.has(id));
    for (const id of unique) {
      const value = known.get(id);
      if (value !== void 0) facts.knownKeys.push({ value, id });
    }
    const skipped = ids.length - queue.length;
    if (skipped > 0) count(s, "duplicatesDropped", skipped);
    if (queue.length === 0) return acceptPage(s, [], facts);
    s.hydration = { queue, batch: [], batchSize: spec.hydrate.maxIds, collected: [], retried: [], page: facts };
    return sendHydrate(s);
  }
  var ENDED = { next: null, chainEnded: true };
  function nextCursorOf(s, spec, envelope, headers, returned) {
    const pagination = envelope.meta.pagination;
    switch (spec.style) {
      case "offset":
        return { next: null, chainEnded: false };
      case "scroll":
        return scrollCursor(pagination, returned);
      case "after-query":
      case "after-body": {
        const token = pagination?.[afterTokenOf(spec).field] ?? "";
        return token ? { next: { kind: "after", token, obtainedAtServerMs: serverNow(PAGE_RUN, s) }, chainEnded: false } : ENDED;
      }
      case "marker":
        return markerCursor(s, spec, headers, returned);
      default:
        return assertNever(spec.style, "pagination style");
    }
  }
  function scrollCursor(pagination, returned) {
    const token = typeof pagination?.offset === "string" ? pagination.offset : "";
    if (token === "" || returned === 0) return ENDED;
    const ns = pagination?.expires_at;
    return { next: { kind: "scroll", token, expiresAtServerMs: typeof ns === "number" ? Math.floor(ns / 1e6) : null }, chainEnded: false };
  }
  function markerCursor(s, spec, headers, returned) {
    const link = header(headers, "next-page");
    const path = link ? safeNextPage(s, spec, link) : null;
    if (link && !path) note2(s, "next_page_refused", "Next-Page points outside the API origin or the stream; using the _marker filter");
    const chainEnded2 = path === null || returned === 0;
    return { next: !chainEnded2 && path ? { kind: "next-page", path } : null, chainEnded: chainEnded2 };
  }
  function boundExport(s, spec) {
    const atMs = serverNow(PAGE_RUN, s) + 1e3;
    s.cp.boundServerMs = atMs;
    const value = watermarkAtTime(spec, atMs);
    if (value === null) return;
    s.cp.ranges = capRanges(s.cp.ranges, { value, ids: [] });
    note2(s, "export_bounded", `${spec.watermarkField} up to ${value}`);
  }
  function askedFor(spec, chain, pending) {
    if (spec.style === "scroll") return chain.limit;
    if (chain.cursor?.kind === "next-page") {
      const linked = /[?&]limit=(\d+)/.exec(pending.request.path)?.[1];
      if (linked !== void 0) return Number(linked);
    }
    return pending.overlapId !== null ? pending.limit - 1 : pending.limit;
  }
  function safeNextPage(s, spec, link) {
    let path = link.trim();
    const origin = originOf(path);
    if (origin) {
      if (!s.input.apiOrigin || origin !== s.input.apiOrigin) return null;
      path = path.slice(origin.length);
    }
    return nextPagePathPlausible(spec, path) ? path : null;
  }

  // functions/engine/pageRun/onPageAnswer.ts
  var PAGE_RUN_RULES = { refuseRedirects: true, namesLongRequests: true, cursorGoneOn404: true };
  function onPageAnswer(s, sent, event) {
    const pending = observeAnswer(PAGE_RUN, s, sent, event.status, event.headers);
    const answer2 = classifyAnswer(event.status, event.headers, event.body, contextOf(s, pending));
    noteAnomaly(PAGE_RUN, s, answer2.anomaly);
    switch (answer2.kind) {
      case "rate-limited":
        return onRateLimited2(s, event.headers);
      case "reauth":
        return reauthenticate(PAGE_RUN, s, pending);
      case "retryable":
        return retry(PAGE_RUN, s, retryReason(answer2), pageRunError(s, pending, answer2));
      case "scope":
      case "redirect":
      case "rejected":
      case "not-found":
      case "fatal":
        return fail3(s, pageRunError(s, pending, answer2));
      case "split":
        return splitHydrate(s);
      case "depth-cap":
        return depthCapHit(s, answer2);
      case "cursor-refused":
        return cursorRefused(s, answer2.status, answer2.message);
      case "ok":
        s.pending = null;
        return pending.purpose === "page" ? readPage(s, pending, answer2.envelope, event.headers) : onHydrated(s, answer2.envelope);
      default:
        return assertNever(answer2, "answer");
    }
  }
  function contextOf(s, pending) {
    const spec = STREAMS[s.input.stream];
    const offsetPage = spec.style === "offset" && pending.purpose === "page";
    return {
      request: pending.purpose === "page" ? "query" : "entities",
      authRefreshed: pending.authRefreshed,
      cursor: pending.purpose === "page" && pending.withCursor,
      rules: PAGE_RUN_RULES,
      splittable: s.hydration !== null && s.hydration.batch.length > 1,
      depthCap: {
        learned: s.cp.learnedDepthCap,
        probe: offsetPage && spec.style === "offset" ? { status: spec.depthCapStatus, offset: pending.offset, attempt: pending.attempt, limit: pending.limit, overlap: Boolean(pending.overlapId) } : null
      },
      indicator: null
    };
  }
  function onRateLimited2(s, headers) {
    const wait = rateLimitWait(PAGE_RUN, s, headers);
    if ("out" in wait) return wait.out;
    const waitMs = wait.ms;
    let resume = "pending";
    const chain = s.cp.chain;
    const expiresAt = cursorExpiresAt(s, chain?.cursor ?? null);
    if (chain && expiresAt !== null && serverNow(PAGE_RUN, s) + waitMs + ENGINE_DEFAULTS.cursorExpiryMarginMs + s.run.latencyEstimateMs > expiresAt) {
      note2(s, "cursor_abandoned_for_wait", `the ${waitMs} ms wait outlives the cursor`);
      count(s, "tokenExpiries");
      if (s.hydration) {
        chain.cursor = null;
        s.hydration = { ...s.hydration, page: { ...s.hydration.page, next: null, chainEnded: true, abandoned: true } };
      } else {
        restart(s);
        resume = "next";
      }
    }
    if (!fits(PAGE_RUN, s, waitMs + s.run.latencyEstimateMs)) {
      s.cp.notBeforeServerMs = serverNow(PAGE_RUN, s) + waitMs;
      return stop2(s, "stopped_rate_limit_wait", `the ${waitMs} ms wait does not fit the deadline`);
    }
    return waitOut(PAGE_RUN, s, waitMs, "rate-limit", resume);
  }
  function depthCapHit(s, answer2) {
    if (answer2.pageLimit !== null) {
      s.cp.learnedPageLimit = answer2.pageLimit;
      s.cp.learnedDepthCap = Math.min(s.cp.learnedPageLimit, s.cp.learnedDepthCap ?? Infinity);
    }
    if (answer2.cap !== null) s.cp.learnedDepthCap = Math.min(answer2.cap, s.cp.learnedDepthCap ?? Infinity);
    count(s, "depthCapRewindows");
    s.run.barrenRestarts++;
    note2(s, "depth_cap_hit", answer2.detail);
    s.cp.chain = null;
    s.pending = null;
    return nextPage(s);
  }
  function cursorRefused(s, status, message) {
    count(s, "tokenExpiries");
    note2(s, isExpiredContextMessage(message) ? "token_expired" : "cursor_refused", `${status} ${message || "cursor refused"}`);
    s.pending = null;
    restart(s);
    return nextPage(s);
  }
  function pathOnly(path) {
    return path.split("?")[0] ?? path;
  }
  function pageRunError(s, pending, answer2) {
    const { status, message } = answer2;
    const path = pathOnly(pending.request.path);
    if (!namesTheRequest(answer2)) return failureError(pending, answer2);
    switch (answer2.kind) {
      case "scope":
        return scopeMissing(pending.request.method, path, STREAMS[s.input.stream].scope, status);
      case "redirect": {
        const location = answer2.location;
        return engineError(
          "API_REDIRECTED",
          `Falcon redirected ${pending.request.method} ${path} (HTTP ${status}${location ? ` to ${originOf(location) ?? "a relative location"}` : ""}); API calls are not followed: set the API client's cloud (FALCON_CLOUD, CS_CLOUD) to where it lives.`,
          { status, location: location ? originOf(location) ?? null : null }
        );
      }
      case "rejected":
        return engineError("FILTER_REJECTED", `Falcon rejected the query (400: ${message || "no message"}). Check the FQL filter.`, { status, filter: s.input.filter });
      default:
        return assertNever(answer2, "answer");
    }
  }
  function namesTheRequest(answer2) {
    return answer2.kind === "scope" || answer2.kind === "redirect" || answer2.kind === "rejected";
  }
  function failureError(pending, answer2) {
    const { status, message } = answer2;
    const { cause, detail, code } = failureOf(answer2.kind === "not-found" ? { ...answer2, kind: "fatal", cause: "endpoint-not-found", detail: "", code: null } : answer2);
    switch (cause) {
      case "token-refused":
        return freshTokenRefused(status);
      case "entities-refused":
        return engineError("UNEXPECTED_STATUS", `Falcon kept refusing ${pathOnly(pending.request.path)} with 403 although the list call of the same scope worked; check the API client's IP allowlist and CID.`, { status });
      case "request-too-long":
        return engineError("FILTER_REJECTED", `The gateway refused a ${pending.request.path.length}-character request line (414); shorten the FQL filter.`, { status, length: pending.request.path.length });
      case "non-json":
        return engineError("NON_JSON_BODY", `Falcon answered HTTP ${status} with a body that is not JSON (an HTML error page?).`, { status });
      case "server-error":
        return engineError("RETRIES_EXHAUSTED", `Falcon kept answering HTTP ${status}: ${message || "no message"}.`, { status });
      case "endpoint-not-found":
        return engineError("ENDPOINT_NOT_FOUND", `Falcon answered 404 for ${pathOnly(pending.request.path)}: ${message || "not found"}.`, { status });
      case "unexpected-status":
        return engineError("UNEXPECTED_STATUS", `Falcon answered HTTP ${status}: ${message || "no message"}.`, { status });
      case "schema":
        return engineError("SCHEMA_MISMATCH", `Falcon's answer does not match the expected envelope at ${detail}.`, { status });
      case "errors-in-200":
        return engineError("ERRORS_IN_200", `Falcon answered HTTP ${status} with errors: ${detail}.`, { status, code });
      default:
        return assertNever(cause, "failure cause");
    }
  }

  // functions/engine/pageRun/pageRunMachine.ts
  var PAGE_RUN = {
    // A page run fits its calls up to the deadline itself; only a not-before wait spread over runs keeps a margin.
    deadlineMarginMs: 0,
    skewMs: (s) => s.cp.skewMs,
    setSkewMs: (s, skewMs) => {
      s.cp.skewMs = skewMs;
    },
    note: (s, kind, detail) => note2(s, kind, detail),
    count: (s, counter, by = 1) => count(s, counter, by),
    out: (s, command) => ({ state: s, command }),
    next: (s) => nextPage(s),
    fail: (s, error) => fail3(s, error),
    stop: (s, kind, detail) => stop2(s, kind, detail),
    onAnswer: (s, pending, event) => onPageAnswer(s, pending, event),
    onLost: (s, pending, event) => {
      if (pending.purpose !== "page" || !pending.withCursor || STREAMS[s.input.stream].style !== "scroll") return null;
      note2(s, "end_unproven", `a scroll page was lost in transit (${event.code}); asking for the rest from the watermark`);
      s.pending = null;
      restart(s);
      return nextPage(s);
    },
    onEmitted: (s, event) => {
      if (s.emitting) s.ackedCheckpoint = s.emitting.checkpoint;
      s.emitting = null;
      if (event.sink) countSink(s, event.sink);
      return nextPage(s);
    },
    onEmitFailed: (s, event) => {
      if (event.sink) countSink(s, event.sink);
      return failUnstored(s, event.error);
    }
  };

  // functions/engine/pageRun/refuseRun.ts
  function refuseRun(rawInput, error) {
    const raw = typeof rawInput === "object" && rawInput !== null ? rawInput : {};
    const stream = typeof raw.stream === "string" && isStreamName(raw.stream) ? raw.stream : null;
    const health = newHealthRecord({
      stream,
      runId: typeof raw.runId === "string" ? raw.runId : "",
      sessionId: typeof raw.sessionId === "string" ? raw.sessionId : "",
      startedAtMs: 0,
      endedAtMs: 0,
      verdict: `failed:${error.code}`,
      totalAtStart: null,
      exportItems: 0,
      exportApiCalls: 0,
      optimalCalls: null
    });
    const result = {
      verdict: `failed:${error.code}`,
      hasMore: "false",
      checkpoint: null,
      resume: { safe: false, reason: "input_refused" },
      stop: { kind: "failed", code: error.code, retryable: false },
      health,
      error
    };
    const state = { phase: "refused", result, health };
    return { state, command: { kind: "done", result } };
  }

  // functions/engine/pageRun/startRun.ts
  function startRun(rawInput, nowMs) {
    const parsed2 = runInputSchema.safeParse(rawInput);
    if (!parsed2.success) return refuseRun(rawInput, inputInvalid(parsed2.error.issues, "run"));
    const input = parsed2.data;
    const admitted = admit(input);
    if ("code" in admitted) return refuseRun(rawInput, admitted);
    const { spec, filter } = admitted;
    const checkpointKeys = { current: input.checkpointKeys.current, previous: input.checkpointKeys.previous ?? null };
    const origin = startingPoint(input, spec, filter, checkpointKeys);
    if ("code" in origin) return refuseRun(rawInput, origin);
    const { cp, resumed } = origin;
    const health = appendEvent(firstHealth(spec, input.runId, cp, nowMs), {
      atMs: nowMs,
      kind: resumed ? "resumed" : "run_started",
      detail: resumed ? `seq ${cp.seq}, ${cp.ranges.length} range(s) left${cp.chain?.cursor ? ", live cursor" : ""}` : `filter ${filter || "(none)"}`
    });
    const s = {
      phase: "await-http",
      input: resolveInput(input, spec, filter, checkpointKeys, nowMs),
      cp,
      run: {
        startedAtMs: nowMs,
        nowMs,
        pages: 0,
        bytes: 0,
        avgItemBytes: null,
        latencyEstimateMs: ENGINE_DEFAULTS.initialLatencyEstimateMs,
        consecutiveRateLimits: 0,
        barrenRestarts: 0,
        absentFields: input.fields ? [...input.fields] : []
      },
      health,
      pending: null,
      hydration: null,
      resume: "next",
      slowDownMs: 0,
      rngSeed: input.options.seed ?? 24301,
      // The checkpoint the run started from: a fresh export's is its first state, so even a first page the
      // sink never stored resumes in the same session.
      ackedCheckpoint: input.checkpoint ?? encodeCheckpoint(cp, checkpointKeys),
      emitting: null,
      result: null
    };
    return nextPage(s);
  }
  function admit(input) {
    const retired = retiredStreamMessage(input.stream);
    if (retired !== null) return engineError("STREAM_DECOMMISSIONED", retired, { field: "stream" });
    if (!isStreamName(input.stream)) {
      return engineError("STREAM_UNKNOWN", `Unknown stream "${input.stream}". Known streams: ${Object.keys(STREAMS).join(", ")}.`, { field: "stream" });
    }
    const spec = STREAMS[input.stream];
    const filter = input.filter.trim();
    const problem = checkUserFilter(filter);
    if (problem) {
      return engineError("FILTER_INVALID", `The filter ${problem.message} (at character ${problem.position}); fix the FQL and run again.`, {
        field: "filter",
        position: problem.position
      });
    }
    return { spec, filter };
  }
  function startingPoint(input, spec, filter, checkpointKeys) {
    if (!input.checkpoint) return { cp: freshCheckpoint(spec.name, filterHashOf(spec.name, filter), input.sessionId ?? `session-${input.runId}`), resumed: false };
    const decoded = decodeCheckpoint(input.checkpoint, checkpointKeys);
    if (!decoded.ok) return decoded.error;
    const data = decoded.data;
    const foreign = checkpointBelongsTo(data, spec.name, filter);
    if (foreign !== null) return foreign;
    if (input.sessionId !== void 0 && input.sessionId !== data.sessionId) {
      return engineError(
        "CHECKPOINT_FOREIGN_SESSION",
        `The checkpoint belongs to session "${data.sessionId}", not "${input.sessionId}"; two workers must never share one cursor chain.`,
        { field: "checkpoint", checkpointSession: data.sessionId }
      );
    }
    return { cp: data.complete ? incrementalFrom(data) : data, resumed: true };
  }
  function resolveInput(input, spec, filter, checkpointKeys, nowMs) {
    return {
      stream: spec.name,
      filter,
      runId: input.runId,
      fields: input.fields ?? null,
      apiOrigin: input.apiBaseUrl ? originOf(input.apiBaseUrl) : null,
      deadlineAtMs: input.budget.deadlineMs !== void 0 ? nowMs + input.budget.deadlineMs : null,
      maxPages: input.budget.maxPages ?? null,
      maxResponseBytes: input.budget.maxResponseBytes ?? null,
      pageLimit: Math.min(input.options.pageLimit ?? spec.pageLimit, spec.maxLimit),
      maxRetries: input.options.maxRetries ?? ENGINE_DEFAULTS.maxRetries,
      maxRateLimitWaits: input.options.maxRateLimitWaits ?? ENGINE_DEFAULTS.maxRateLimitWaits,
      cursorTtlMs: Math.min(spec.documentedCursorTtlMs ?? Infinity, input.options.assumedCursorTtlMs ?? ENGINE_DEFAULTS.assumedCursorTtlMs),
      requestTimeoutMs: input.options.requestTimeoutMs ?? ENGINE_DEFAULTS.requestTimeoutMs,
      checkpointKeys
    };
  }
  function firstHealth(spec, runId, cp, nowMs) {
    return newHealthRecord({
      stream: spec.name,
      runId,
      sessionId: cp.sessionId,
      startedAtMs: nowMs,
      endedAtMs: null,
      verdict: null,
      totalAtStart: cp.totalAtStart,
      exportItems: cp.counters.items,
      exportApiCalls: cp.counters.apiCalls,
      optimalCalls: cp.totalAtStart === null ? null : optimalCalls(spec, cp.totalAtStart)
    });
  }
  function incrementalFrom(data) {
    return {
      ...data,
      ranges: data.high ? [{ from: data.high, to: null }] : EVERYTHING,
      complete: false,
      chain: null,
      totalAtStart: null,
      boundServerMs: null,
      orderViolated: false,
      rechecks: [],
      counters: { ...data.counters, items: 0, apiCalls: 0, pages: 0 }
    };
  }
  function freshCheckpoint(stream, filterHash, sessionId) {
    return {
      v: 1,
      stream,
      filterHash,
      sessionId,
      seq: 0,
      ranges: EVERYTHING,
      high: null,
      complete: false,
      chain: null,
      notBeforeServerMs: null,
      skewMs: null,
      totalAtStart: null,
      learnedDepthCap: null,
      learnedPageLimit: null,
      boundServerMs: null,
      orderViolated: false,
      rechecks: [],
      counters: {
        items: 0,
        apiCalls: 0,
        pages: 0,
        tokenMissingMidRun: 0,
        tokenExpiries: 0,
        watermarkRestarts: 0,
        depthCapRewindows: 0,
        duplicatesDropped: 0
      }
    };
  }

  // functions/engine/step.ts
  function step(state, event) {
    if (event.kind === "start") {
      if (state !== null) return protocolError2(state, "start", "a run that already started");
      return startRun(event.input, event.nowMs);
    }
    if (state === null) return refuseRun(null, firstEventError(event.kind));
    if (state.phase === "refused" || state.phase === "done" || !answersLastCommand(state, event)) return protocolError2(state, event.kind, state.phase);
    return handleEvent(PAGE_RUN, draftRun(state, event.nowMs), event);
  }
  function protocolError2(state, event, phase) {
    const error = protocolMisuse(event, phase, "engine");
    if (state.phase === "refused") return refuseRun(null, error);
    return fail3(draftRun(state, state.run.nowMs), error);
  }

  // functions/engine/pageRunSteps.ts
  function* pageRunSteps(input, nowMs, observe) {
    let state = null;
    let event = { kind: "start", nowMs, input };
    for (; ; ) {
      const out = step(state, event);
      state = out.state;
      if (observe && state.phase !== "refused") observe(state.health);
      const command = out.command;
      switch (command.kind) {
        case "done":
          return command.result;
        case "http":
        case "sleep":
        case "authenticate":
          event = yield ioCommandOf(command);
          break;
        case "emit":
          event = yield { kind: "emit", items: command.items, checkpoint: command.checkpoint, bytes: command.bytes, health: state.health };
          break;
        default:
          return assertNever(command, "engine command");
      }
    }
  }

  // functions/handlers/collectPageRun.ts
  function* collectPageRun(input, context, deliver) {
    const run = pageRunSteps(input, context.nowMs());
    let next = run.next();
    while (!next.done) {
      const command = next.value;
      if (command.kind === "emit") {
        const delivery = yield* deliver(command);
        const sink = delivery.sink === void 0 ? {} : { sink: delivery.sink };
        next = run.next(delivery.ok ? { kind: "emitted", nowMs: context.nowMs(), ...sink } : { kind: "emit-failed", nowMs: context.nowMs(), error: delivery.error, ...sink });
      } else {
        next = run.next(yield command);
      }
    }
    return next.value;
  }

  // functions/falcon/enrichTypes.ts
  var INTEL_TYPES = [
    "hash_sha256",
    "hash_md5",
    "ip_address",
    "hash_sha1",
    "url",
    "email_address",
    "file_name",
    "mutex_name",
    "username",
    "user_agent"
  ];
  var ENRICH_INDICATOR_TYPES = [...IOC_TYPES, ...INTEL_TYPES];
  function iocTypeOf(type, value) {
    switch (type) {
      case "sha256":
      case "hash_sha256":
        return { iocType: "sha256" };
      case "md5":
      case "hash_md5":
        return { iocType: "md5" };
      case "domain":
      case "ipv4":
      case "ipv6":
        return { iocType: type };
      case "ip_address":
        return { iocType: value.includes(":") ? "ipv6" : "ipv4" };
      case "hash_sha1":
      case "url":
      case "email_address":
      case "file_name":
      case "mutex_name":
      case "username":
      case "user_agent":
        return { iocType: null, detail: `${type} has no IOC type: the device endpoints take ${IOC_TYPES.join(", ")}` };
      default: {
        const unmapped = type;
        throw new Error(`Unexpected indicator type: ${String(unmapped)}.`);
      }
    }
  }

  // functions/handlers/enrichIntel.ts
  var INTEL_NOT_FOUND = { found: "false", malicious_confidence: "", labels: [], actors: [], malware_families: [] };
  var INTEL_FIELDS = ["indicator", "type", "malicious_confidence", "labels", "actors", "malware_families"];
  function intelFilters(indicators) {
    const values = /* @__PURE__ */ new Set();
    for (const { type, value } of indicators) {
      values.add(value);
      if (type !== "url") values.add(value.toLowerCase());
    }
    const filters = [];
    let chunk = [];
    const filterOf = (quoted) => `indicator:[${quoted.join(",")}]`;
    for (const value of values) {
      const quoted = fqlQuote(value);
      if (chunk.length > 0 && filterOf([...chunk, quoted]).length > MAX_USER_FILTER_CHARS) {
        filters.push(filterOf(chunk));
        chunk = [];
      }
      chunk.push(quoted);
    }
    if (chunk.length > 0) filters.push(filterOf(chunk));
    return filters;
  }
  function* lookupIntel(indicators, context, options) {
    const records2 = [];
    let apiCalls = 0;
    for (const [i, filter] of intelFilters(indicators).entries()) {
      const remainingMs = options.deadlineAtMs - context.nowMs();
      if (remainingMs <= ENGINE_DEFAULTS.deadlineMarginMs) return { kind: "stopped", reason: "stopped_deadline", apiCalls };
      const input = {
        stream: "intel-indicators",
        filter,
        runId: `${options.runId}-intel-${i + 1}`.slice(0, 128),
        apiBaseUrl: context.apiBaseUrl,
        // These runs' checkpoints never leave the invocation: a throwaway key signs them.
        checkpointKeys: { current: context.entropy },
        fields: INTEL_FIELDS,
        budget: { deadlineMs: remainingMs },
        options: { seed: options.seed + i }
      };
      const result = yield* collectPageRun(input, context, function* (page) {
        for (const item of page.items) if (typeof item === "object" && item !== null) records2.push(item);
        return { ok: true };
      });
      apiCalls += result.health.apiCalls;
      if (result.verdict === "complete") continue;
      if (result.error !== null) return { kind: "failed", error: result.error, apiCalls };
      return { kind: "stopped", reason: stopReasonOf(result), apiCalls };
    }
    return { kind: "complete", records: records2, apiCalls };
  }
  var ENRICH_STOP_OF = {
    stopped_rate_limit_wait: "stopped_rate_limit_wait",
    stopped_max_pages: "stopped_max_calls",
    stopped_byte_budget: "stopped_response_size"
  };
  function stopReasonOf(result) {
    const stopped = [...result.health.timeline].reverse().find((e) => e.kind.startsWith("stopped_"));
    return (stopped && ENRICH_STOP_OF[stopped.kind]) ?? "stopped_deadline";
  }
  function intelContextOf(records2, type, value) {
    const exact = type === "url";
    const wanted = exact ? value : value.toLowerCase();
    const matches = records2.filter((r) => typeof r["indicator"] === "string" && (exact ? r["indicator"] : r["indicator"].toLowerCase()) === wanted);
    if (matches.length === 0) return INTEL_NOT_FOUND;
    const mapped = iocTypeOf(type, value).iocType;
    const sameKind = (r) => r["type"] === type || mapped !== null && intelIocType(r) === mapped;
    const record = matches.find(sameKind) ?? matches[0];
    const confidence = record["malicious_confidence"];
    return {
      found: "true",
      malicious_confidence: typeof confidence === "string" ? confidence : "",
      labels: names(record["labels"]),
      actors: names(record["actors"]),
      malware_families: names(record["malware_families"])
    };
  }
  function intelIocType(record) {
    const type = record["type"];
    const value = record["indicator"];
    if (typeof type !== "string" || typeof value !== "string") return null;
    switch (type) {
      case "hash_sha256":
      case "hash_md5":
      case "ip_address":
      case "domain":
        return iocTypeOf(type, value).iocType;
      default:
        return null;
    }
  }
  function names(value) {
    if (!Array.isArray(value)) return [];
    return value.flatMap((v) => typeof v === "string" ? [v] : typeof v === "object" && v !== null && typeof v.name === "string" ? [v.name] : []);
  }

  // functions/handlers/enrichHandler.ts
  var ENRICH_LIMITS = {
    /** Foundry drops a response over 120 KB. */
    responseBytes: 120 * 1024,
    /** Kept free for the FDK envelope around the body. */
    marginBytes: 4096,
    maxIndicators: 100,
    maxValueChars: 1e3,
    /** Page-run items carry the record id; it may come along and is ignored. */
    maxIdChars: 2e3,
    defaultMaxDevicesPerIndicator: 500,
    maxDevicesPerIndicator: 1e4,
    minDeadlineMs: 1e3,
    /** Foundry's longest function execution (900 s). */
    maxDeadlineMs: 9e5,
    /** Longest `device_ids_detail`; the response budget reserves this much per indicator. */
    maxDetailChars: 160
  };
  var INDICATOR_VALUE_PATTERN = "^[^*\\u0000-\\u001f\\u007f]+$";
  var VALUE_REGEX = new RegExp(INDICATOR_VALUE_PATTERN);
  var atMostChars = (max) => (value) => Array.from(value).length <= max;
  var enrichRequestSchema = external_exports.object({
    indicators: external_exports.array(
      external_exports.object({
        type: external_exports.enum(ENRICH_INDICATOR_TYPES),
        value: external_exports.string().min(1).regex(VALUE_REGEX, "must not contain control characters or *").refine(atMostChars(ENRICH_LIMITS.maxValueChars), `must be at most ${ENRICH_LIMITS.maxValueChars} characters`),
        id: external_exports.string().refine(atMostChars(ENRICH_LIMITS.maxIdChars), `must be at most ${ENRICH_LIMITS.maxIdChars} characters`).optional()
      }).strict()
    ).min(1).max(ENRICH_LIMITS.maxIndicators),
    max_devices_per_indicator: external_exports.number().int().min(0).max(ENRICH_LIMITS.maxDevicesPerIndicator).optional(),
    budget: external_exports.object({ deadline_ms: external_exports.number().int().min(ENRICH_LIMITS.minDeadlineMs).max(ENRICH_LIMITS.maxDeadlineMs).optional() }).strict().optional()
  }).strict();
  function* enrichIndicators(rawBody, context) {
    const parsed2 = parseRequest(enrichRequestSchema, rawBody, "enrich");
    if (!parsed2.ok) return parsed2.response;
    const request = parsed2.data;
    const startedAtMs = context.nowMs();
    const deadlineAtMs = startedAtMs + Math.min(request.budget?.deadline_ms ?? context.deadlineMs, context.deadlineMs);
    const runId = `enrich-${context.executionId === "" ? "local" : context.executionId}-${startedAtMs}`.slice(0, 128);
    const seed = seedOf(runId);
    const planned = request.indicators.map(({ type, value }) => ({ type, value, mapping: iocTypeOf(type, value) }));
    const intel = yield* lookupIntel(planned, context, { deadlineAtMs, runId, seed });
    if (intel.kind === "failed") return apiFailure(intel.error, intel.apiCalls);
    if (intel.kind === "stopped") {
      return respond({ enriched: [], pending: planned.map(({ type, value }) => ({ type, value })), has_more: "true", api_calls: intel.apiCalls });
    }
    const contexts = planned.map((p) => intelContextOf(intel.records, p.type, p.value));
    const looked = planned.flatMap((p, index) => p.mapping.iocType === null ? [] : [{ index, iocType: p.mapping.iocType, value: p.value }]);
    let lookup = null;
    if (looked.length > 0) {
      const input = {
        runId,
        indicators: looked.map(({ iocType, value }) => ({ type: iocType, value })),
        budget: {
          deadlineMs: Math.max(1, deadlineAtMs - context.nowMs()),
          maxDeviceIdsPerIndicator: request.max_devices_per_indicator ?? ENRICH_LIMITS.defaultMaxDevicesPerIndicator,
          maxDeviceIdBytes: deviceIdBudget(planned, contexts)
        },
        options: { seed }
      };
      lookup = yield* enrichSteps(input, context.nowMs());
      if (lookup.error !== null) return apiFailure(lookup.error, intel.apiCalls + lookup.apiCalls);
    }
    const results = /* @__PURE__ */ new Map();
    looked.forEach(({ index }, k) => {
      const result = lookup?.indicators[k];
      if (result) results.set(index, result);
    });
    const body = { enriched: [], pending: [], has_more: "false", api_calls: intel.apiCalls + (lookup?.apiCalls ?? 0) };
    planned.forEach((p, index) => {
      const context2 = contexts[index];
      if (p.mapping.iocType === null) {
        body.enriched.push(entry(p, context2, { deviceCount: null, deviceIds: [], complete: false, reason: "no_ioc_type", detail: p.mapping.detail }));
        return;
      }
      const result = results.get(index);
      if (result === void 0 || result.status === "pending") {
        body.pending.push({ type: p.type, value: p.value });
        return;
      }
      body.enriched.push(
        entry(p, context2, {
          deviceCount: result.deviceCount,
          deviceIds: result.deviceIds,
          complete: result.status === "complete",
          reason: result.reason,
          detail: result.detail
        })
      );
    });
    body.has_more = body.pending.length > 0 ? "true" : "false";
    return respond(body);
  }
  function entry(p, intel, devices) {
    return {
      type: p.type,
      value: p.value,
      ioc_type: p.mapping.iocType,
      intel,
      device_count: devices.deviceCount,
      device_ids: devices.deviceIds,
      device_ids_complete: devices.complete ? "true" : "false",
      device_ids_reason: devices.reason,
      device_ids_detail: devices.detail.slice(0, ENRICH_LIMITS.maxDetailChars)
    };
  }
  function deviceIdBudget(planned, contexts) {
    const filler = "x".repeat(ENRICH_LIMITS.maxDetailChars);
    const skeleton = {
      enriched: planned.map(
        (p, i) => entry(p, contexts[i], { deviceCount: ENRICH_LIMITS.maxDevicesPerIndicator * 1e3, deviceIds: [], complete: false, reason: "token_missing_before_count", detail: filler })
      ),
      pending: [],
      has_more: "false",
      api_calls: 1e6
    };
    return Math.max(0, ENRICH_LIMITS.responseBytes - ENRICH_LIMITS.marginBytes - byteLength(skeleton));
  }
  function respond(body) {
    const bytes = byteLength(body);
    if (bytes > ENRICH_LIMITS.responseBytes) {
      return {
        code: 500,
        body: { error_code: "RESPONSE_TOO_LARGE", field: "max_devices_per_indicator" },
        errors: [{ code: 500, message: `The enrich response is ${bytes} bytes, over Foundry's 120 KB; lower max_devices_per_indicator or send fewer indicators (field: max_devices_per_indicator)` }]
      };
    }
    return { code: 200, body, errors: [] };
  }
  function apiFailure(error, apiCalls) {
    const code = error.code === "SCOPE_MISSING" ? 403 : error.code === "AUTH_FAILED" ? 401 : error.category === "internal" ? 500 : 502;
    return { code, body: { error_code: error.code, api_calls: apiCalls }, errors: [{ code, message: error.message }] };
  }
  function byteLength(value) {
    return utf8Length(JSON.stringify(value));
  }
  function seedOf(text) {
    let h = 2166136261;
    for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
    return h | 0;
  }

  // functions/storage/RunRecord.ts
  var RUNS_COLLECTION = "pagination_runs";
  function toRunRecord(result, origin = {}) {
    const health = result.health;
    const verdictKind = result.verdict === "complete" ? "complete" : result.verdict === "has_more" ? "has_more" : "failed";
    return {
      run_id: health.runId,
      session_id: health.sessionId,
      stream: health.stream ?? "",
      verdict: result.verdict,
      verdict_kind: verdictKind,
      error_code: result.error?.code ?? "",
      error_message: result.error?.message ?? "",
      has_more: result.hasMore,
      started_at_ms: health.startedAtMs,
      ended_at_ms: health.endedAtMs ?? health.startedAtMs,
      execution_id: origin.executionId ?? "",
      health
    };
  }
  function runRecordKey(record) {
    const stream = /^[a-z-]{1,40}$/.test(record.stream) ? record.stream : "unknown";
    const identity = sha256Hex(JSON.stringify([record.stream, record.session_id, record.run_id, record.execution_id, record.started_at_ms])).slice(0, 32);
    return `${stream}.${String(record.started_at_ms).padStart(15, "0")}.${identity}`;
  }

  // functions/engine/sink/LogScaleEvent.ts
  function eventIdOf(stream, recordId) {
    return `${stream}:${recordId}`;
  }
  function toLogScaleEvent(stream, sessionId, runId, recordId, record) {
    return { pg_event_id: eventIdOf(stream, recordId), pg_session: sessionId, pg_stream: stream, pg_run: runId, record };
  }

  // functions/engine/sink/multipartBody.ts
  function multipartBody(parts, seed) {
    let boundary = `pg-${seed}`;
    while (parts.some((part) => (part.kind === "file" ? part.content : part.value).includes(boundary))) boundary += "-x";
    const chunks = [];
    for (const part of parts) {
      chunks.push(`--${boundary}\r
`);
      if (part.kind === "file") {
        chunks.push(`Content-Disposition: form-data; name="${part.name}"; filename="${part.filename}"\r
Content-Type: ${part.contentType}\r
\r
${part.content}\r
`);
      } else {
        chunks.push(`Content-Disposition: form-data; name="${part.name}"\r
\r
${part.value}\r
`);
      }
    }
    chunks.push(`--${boundary}--\r
`);
    return { contentType: `multipart/form-data; boundary=${boundary}`, body: chunks.join("") };
  }

  // functions/engine/sink/ingestRecords.ts
  var INGEST_PATH = "/loggingapi/entities/data-ingestion/ingest/v1";
  var INGEST_DEFAULTS = {
    /**
     * Largest payload of one ingest call. UNVERIFIED: no limit is documented; 1 MB keeps far below the
     * 8 MiB the sandbox refuses by default, and a 413 halves the batch and lowers this for the rest of the run.
     */
    maxBatchBytes: 1e6,
    /** Below this a 413 is not halved again: one record alone is too large. */
    minBatchBytes: 1,
    requestTimeoutMs: 3e4,
    maxRetries: ENGINE_DEFAULTS.maxRetries,
    tagSource: "pagination-guard"
  };
  function* ingestRecords(records2, target, plan, nowMs) {
    const report = { calls: 0, retries: 0, events: 0, bytes: 0, notes: [] };
    const serialized = eventsOf(records2, target);
    if (!Array.isArray(serialized)) return { ok: false, report, error: serialized };
    const queue = batchesOf(serialized, plan.maxBatchBytes);
    let attempt = 0;
    let rateLimits = 0;
    while (queue.length > 0) {
      const batch = queue[0];
      if (nowMs() >= plan.deadlineAtMs) return { ok: false, report, error: failed("no time was left in the run to store the page", report) };
      const sent = yield* send2(batch, target, report, plan, nowMs);
      const outcome = classify(sent);
      switch (outcome.kind) {
        case "stored":
          queue.shift();
          report.events += batch.events.length;
          report.bytes += batch.bytes;
          attempt = 0;
          rateLimits = 0;
          break;
        case "too-large": {
          const error = halve(queue, batch, target, report, plan);
          if (error !== null) return { ok: false, report, error };
          break;
        }
        case "rate-limited": {
          rateLimits++;
          const error = yield* waitForRateLimit(outcome.headers, rateLimits, report, plan, nowMs);
          if (error !== null) return { ok: false, report, error };
          break;
        }
        case "retryable": {
          attempt++;
          if (attempt > INGEST_DEFAULTS.maxRetries) return { ok: false, report, error: failed(`${outcome.reason}, ${attempt} times in a row`, report) };
          const jitter = fullJitterMs(plan.seed, attempt);
          plan.seed = jitter.seed;
          const waited = yield* pause(jitter.ms, `${outcome.reason}; retrying in ${jitter.ms} ms`, report, plan, nowMs);
          if (!waited) return { ok: false, report, error: failed(`${outcome.reason}, and no time was left to retry`, report) };
          break;
        }
        case "token-expired":
          return { ok: false, report, error: failed("the access token expired and could not be refreshed", report) };
        case "refused":
          return { ok: false, report, error: engineError("INGEST_REFUSED", outcome.message, { status: outcome.status }) };
        default:
          return assertNever(outcome, "ingest outcome");
      }
    }
    return { ok: true, report };
  }
  function eventsOf(records2, target) {
    const idField = STREAMS[target.stream].idField;
    const serialized = [];
    for (const record of records2) {
      const id = typeof record === "object" && record !== null ? record[idField] : void 0;
      if (typeof id !== "string") {
        return engineError("PROTOCOL", `A ${target.stream} record to ingest has no "${idField}"; the engine emits only records with one.`);
      }
      serialized.push(JSON.stringify(toLogScaleEvent(target.stream, target.sessionId, target.runId, id, record)));
    }
    return serialized;
  }
  function halve(queue, batch, target, report, plan) {
    if (batch.events.length === 1) {
      return engineError(
        "INGEST_RECORD_TOO_LARGE",
        `One ${target.stream} record makes a ${batch.bytes}-byte event, and the LogScale repository refused it as too large (413); project records with fields.`,
        { bytes: batch.bytes }
      );
    }
    plan.maxBatchBytes = Math.max(INGEST_DEFAULTS.minBatchBytes, Math.floor(batch.bytes / 2));
    const half = Math.ceil(batch.events.length / 2);
    queue.splice(0, 1, batchOf(batch.events.slice(0, half)), batchOf(batch.events.slice(half)));
    report.retries++;
    report.notes.push(`413 for ${batch.events.length} events (${batch.bytes} bytes): halved`);
    return null;
  }
  function* send2(batch, target, report, plan, nowMs) {
    const form = multipartBody(
      [
        { kind: "file", name: "data_file", filename: "records.json", contentType: "application/json", content: `[${batch.events.join(",")}]` },
        { kind: "field", name: "tag_source", value: INGEST_DEFAULTS.tagSource }
      ],
      `${target.runId.replace(/[^A-Za-z0-9]/g, "").slice(0, 24)}${report.calls}`
    );
    const headers = { Accept: "application/json", "Content-Type": form.contentType };
    if (target.appId !== "") headers["X-CS-APP-ID"] = target.appId;
    report.calls++;
    const timeoutMs = Math.max(1, Math.min(INGEST_DEFAULTS.requestTimeoutMs, plan.deadlineAtMs - nowMs()));
    const answer2 = yield { kind: "http", request: { method: "POST", path: INGEST_PATH, headers, body: form.body }, timeoutMs };
    if (answer2.kind === "http-response" && answer2.status === 401) {
      const refreshed = yield { kind: "authenticate" };
      if (refreshed.kind === "authenticated" && refreshed.ok) {
        report.calls++;
        report.retries++;
        return yield { kind: "http", request: { method: "POST", path: INGEST_PATH, headers, body: form.body }, timeoutMs };
      }
    }
    return answer2;
  }
  function* waitForRateLimit(headers, rateLimits, report, plan, nowMs) {
    if (rateLimits > ENGINE_DEFAULTS.maxRateLimitWaits) return failed(`the repository kept answering 429 (${rateLimits} times)`, report);
    const serverNow2 = serverDateMs(headers) ?? nowMs();
    const wait = rateLimitWaitMs(headers, serverNow2, plan.seed, rateLimits);
    plan.seed = wait.seed;
    const waited = yield* pause(wait.ms, `429: waiting ${wait.ms} ms`, report, plan, nowMs);
    return waited ? null : failed(`a ${wait.ms} ms rate-limit wait did not fit the time left`, report);
  }
  function* pause(ms, note3, report, plan, nowMs) {
    if (nowMs() + ms >= plan.deadlineAtMs) return false;
    report.retries++;
    report.notes.push(note3);
    yield { kind: "sleep", ms };
    return true;
  }
  function classify(answer2) {
    if (answer2.kind === "http-error") {
      return { kind: "retryable", reason: `the ingest call got no answer (${answer2.code})` };
    }
    if (answer2.kind !== "http-response") return { kind: "refused", status: 0, message: `The host answered an ingest call with "${answer2.kind}"; it must answer http commands with http-response or http-error.` };
    const { status, headers, body } = answer2;
    const detail = firstErrorMessage(body) ?? body.slice(0, 200);
    if (status >= 200 && status < 300) return storedOrNot(status, body, detail);
    if (status === 413) return { kind: "too-large" };
    if (status === 429) return { kind: "rate-limited", headers };
    if (status >= 500) return { kind: "retryable", reason: `the ingest call answered ${status}` };
    if (status === 401) return { kind: "token-expired" };
    if (status === 403) {
      return { kind: "refused", status, message: `The LogScale ingest call answered 403 (${detail}); the app needs the app-logs:write scope in manifest.yml.` };
    }
    if (status >= 300 && status < 400) {
      return { kind: "refused", status, message: `The LogScale ingest call was redirected (${status}); the function talks to the wrong cloud.` };
    }
    return { kind: "refused", status, message: `The LogScale repository refused the page's records with ${status}: ${detail}` };
  }
  function storedOrNot(status, body, detail) {
    const parsed2 = parseJson(body);
    const errors = parsed2.ok && typeof parsed2.value === "object" && parsed2.value !== null ? parsed2.value.errors : void 0;
    if (Array.isArray(errors) && errors.length > 0) return { kind: "retryable", reason: `the ingest call answered ${status} with errors (${detail})` };
    return { kind: "stored" };
  }
  function failed(reason, report) {
    return engineError("INGEST_FAILED", `The page's records could not be stored in LogScale: ${reason}. Nothing after the last stored page counts as exported; run again from the checkpoint.`, {
      calls: report.calls
    });
  }
  function batchesOf(events, maxBytes) {
    const batches = [];
    let current = [];
    let bytes = 2;
    for (const event of events) {
      const size = utf8Length(event) + 1;
      if (current.length > 0 && bytes + size > maxBytes) {
        batches.push({ events: current, bytes });
        current = [];
        bytes = 2;
      }
      current.push(event);
      bytes += size;
    }
    if (current.length > 0) batches.push({ events: current, bytes });
    return batches;
  }
  function batchOf(events) {
    return { events, bytes: 2 + events.reduce((sum, event) => sum + utf8Length(event) + 1, 0) };
  }

  // functions/handlers/pageRunHandler.ts
  var PAGE_RUN_LIMITS = {
    responseBytes: 120 * 1024,
    defaultItemBytes: 8e4,
    maxItemBytes: 1e5,
    maxPages: 1e3,
    /**
     * How long after the engine's deadline the LogScale sink may still store the last page: part of the
     * margin the function keeps before its execution limit (FUNCTION_LIMITS.deadlineMarginMs, 5 s).
     */
    ingestGraceMs: 3e3
  };
  var SINKS = ["logscale", "response"];
  var pageRunRequestSchema = external_exports.object({
    stream: streamNameSchema,
    filter: external_exports.string().max(MAX_USER_FILTER_CHARS).default(""),
    /** "" and Fusion's "0" for an absent value both mean: no checkpoint. */
    checkpoint: external_exports.string().max(1e5).optional(),
    resume_from_collection: flagSchema.default("false"),
    session_id: external_exports.string().min(1).max(128).optional(),
    fields: external_exports.array(fieldPathSchema).max(200).optional(),
    max_pages: external_exports.number().int().min(1).max(PAGE_RUN_LIMITS.maxPages).optional(),
    max_response_bytes: external_exports.number().int().min(1e3).max(PAGE_RUN_LIMITS.maxItemBytes).optional(),
    record_run: flagSchema.default("true"),
    sink: external_exports.enum(SINKS).default("response")
  }).strict().refine((request) => request.sink === "response" || request.max_response_bytes === void 0, {
    // Records ingested into LogScale never travel in the response, so a response budget would bound nothing.
    message: 'bounds the records in the response, and with sink "logscale" the response carries none; leave it out or use sink "response"',
    path: ["max_response_bytes"]
  });
  function* pageRun(rawBody, context) {
    const parsed2 = parseRequest(pageRunRequestSchema, rawBody, "page-run");
    if (!parsed2.ok) return parsed2.response;
    const request = parsed2.data;
    const storage = new CollectionClient(context);
    const keys = yield* loadSigningKeys(storage, context);
    if (!keys.ok) return keys.response;
    let checkpoint = presentCheckpoint(request.checkpoint);
    let sessionId = request.session_id;
    if (checkpoint === void 0 && request.resume_from_collection === "true") {
      const stored = yield* storage.get(CHECKPOINTS_COLLECTION, checkpointRecordKey(request.stream, request.filter));
      if (!stored.ok) {
        return {
          code: 503,
          body: { error_code: "CHECKPOINT_UNREADABLE", field: "resume_from_collection" },
          errors: [{ code: 503, message: `The stored checkpoint could not be read, so the run did not start: ${stored.message}` }]
        };
      }
      const record = stored.value;
      if (record !== null && typeof record.checkpoint === "string" && record.checkpoint !== "") {
        checkpoint = record.checkpoint;
        sessionId ?? (sessionId = typeof record.session_id === "string" && record.session_id !== "" ? record.session_id : void 0);
      }
    }
    const nowMs = context.nowMs();
    const input = {
      stream: request.stream,
      filter: request.filter,
      runId: `${context.executionId === "" ? "local" : context.executionId}-${nowMs}`.slice(0, 128),
      apiBaseUrl: context.apiBaseUrl,
      checkpointKeys: checkpointKeysOf(keys.keys),
      ...checkpoint === void 0 ? {} : { checkpoint },
      ...sessionId === void 0 ? {} : { sessionId },
      ...request.fields === void 0 ? {} : { fields: request.fields },
      budget: {
        deadlineMs: context.deadlineMs,
        // Ingested records leave the function page by page: memory holds one page, and the deadline bounds the run.
        ...request.sink === "response" ? { maxResponseBytes: request.max_response_bytes ?? PAGE_RUN_LIMITS.defaultItemBytes } : {},
        ...request.max_pages === void 0 ? {} : { maxPages: request.max_pages }
      }
    };
    const items = [];
    const target = { stream: request.stream, sessionId: "", runId: input.runId, appId: context.appId };
    const plan = {
      maxBatchBytes: INGEST_DEFAULTS.maxBatchBytes,
      // From the run id, not the host's random bits: a run replays identically (conformance, tests), and
      // two runs (two ids) still draw different jitter.
      seed: Number.parseInt(sha256Hex(input.runId).slice(0, 8), 16) | 0,
      deadlineAtMs: nowMs + context.deadlineMs + PAGE_RUN_LIMITS.ingestGraceMs
    };
    const result = yield* collectPageRun(input, context, function* (page) {
      if (request.sink === "response") {
        items.push(...page.items);
        return { ok: true };
      }
      target.sessionId = page.health.sessionId;
      const ingested = yield* ingestRecords(page.items, target, plan, () => context.nowMs());
      return ingested.ok ? { ok: true, sink: ingested.report } : { ok: false, error: ingested.error, sink: ingested.report };
    });
    if (result.error !== null && result.error.category === "input") {
      const field = typeof result.error.context["field"] === "string" ? result.error.context["field"] : "checkpoint";
      return badRequest(result.error.code, field, result.error.message);
    }
    let runRecorded = "false";
    let storageError = "";
    if (request.record_run === "true") {
      const record = toRunRecord(result, { executionId: context.executionId });
      const written = yield* storage.put(RUNS_COLLECTION, runRecordKey(record), record);
      runRecorded = written.ok ? "true" : "false";
      if (!written.ok) storageError = written.message;
    }
    const body = {
      sink: request.sink,
      items,
      item_count: items.length,
      ingested_events: result.health.ingestedEvents,
      ingest_calls: result.health.ingestCalls,
      ingest_retries: result.health.ingestRetries,
      // The engine's rule, for every host: resume from its final checkpoint, which holds exactly the pages
      // in `items`; only a refused input has none (and never gets here: it answered 400 above).
      checkpoint: result.resume.safe ? result.resume.checkpoint : "",
      resume_safe: result.resume.safe ? "true" : "false",
      stop_reason: stopReasonText(result.stop),
      has_more: result.hasMore,
      verdict: result.verdict,
      error_code: result.error?.code ?? "",
      error_message: result.error?.message ?? "",
      session_id: result.health.sessionId,
      run_id: result.health.runId,
      run_recorded: runRecorded,
      storage_error: storageError,
      health: result.health
    };
    if (byteLength2(body) > PAGE_RUN_LIMITS.responseBytes) body["health"] = { ...result.health, timeline: [], timelineDropped: result.health.timeline.length };
    if (byteLength2(body) > PAGE_RUN_LIMITS.responseBytes) {
      return {
        code: 500,
        body: { error_code: "RESPONSE_TOO_LARGE", field: "max_response_bytes" },
        errors: [{ code: 500, message: `The run's response exceeds 120 KB; lower max_response_bytes or project fewer fields (field: max_response_bytes)` }]
      };
    }
    return { code: 200, body, errors: [] };
  }
  function stopReasonText(stop3) {
    switch (stop3.kind) {
      case "complete":
        return "complete";
      case "budget":
        return `budget:${stop3.budget}`;
      case "failed":
        return `failed:${stop3.code}:${stop3.retryable ? "retryable" : "final"}`;
      default:
        return assertNever(stop3, "stop reason");
    }
  }
  function byteLength2(value) {
    return utf8Length(JSON.stringify(value));
  }

  // functions/handlers/functionMachine.ts
  var FUNCTION_LIMITS = {
    /** Foundry's request payload limit. */
    requestBytes: 124 * 1024,
    /** manifest.yml `max_exec_duration_seconds` of the page-run function. */
    maxExecDurationSeconds: 60,
    /** Kept free of the execution limit for the host's own work and the response. */
    deadlineMarginMs: 5e3
  };
  var PAGE_RUN_HANDLERS = [
    { name: "page-run", method: "POST", path: "/page-run", requestSchema: pageRunRequestSchema, handle: pageRun },
    { name: "checkpoints", method: "POST", path: "/checkpoints", requestSchema: checkpointsRequestSchema, handle: checkpoints },
    { name: "enrich", method: "POST", path: "/enrich", requestSchema: enrichRequestSchema, handle: enrichIndicators }
  ];
  var invocationSchema = external_exports.object({
    nowMs: external_exports.number().finite(),
    envelope: external_exports.unknown(),
    host: external_exports.object({
      /** `CS_CLOUD`, as Foundry sets it. */
      cloud: external_exports.string().max(64).default(""),
      /** A local run's API origin (the sandbox), overriding the cloud. */
      apiBaseUrl: external_exports.union([external_exports.literal(""), external_exports.string().max(2048).regex(API_BASE_URL_PATTERN)]).default(""),
      /** `APP_ID` of a local run, for X-CS-APP-ID. */
      appId: external_exports.string().max(256).default(""),
      /** 256 bits from the host's CSPRNG, hex: the machine draws no randomness of its own. */
      entropy: external_exports.string().regex(/^[0-9a-f]{64}$/, "must be 64 hex digits (256 random bits)")
    }).strict()
  }).strict();
  var envelopeSchema2 = external_exports.object({
    method: external_exports.string().min(1).max(16),
    url: external_exports.string().min(1).max(2048),
    body: external_exports.unknown(),
    params: external_exports.object({ header: external_exports.record(external_exports.array(external_exports.string())).default({}), query: external_exports.record(external_exports.array(external_exports.string())).default({}) }).partial().default({})
  });
  function startFunction(rawInvocation) {
    const parsed2 = invocationSchema.safeParse(rawInvocation);
    if (!parsed2.success) return finished("", failure(500, "INVOCATION_INVALID", "invocation", `The host passed an invalid invocation: ${issueText(parsed2.error)}`));
    const invocation = parsed2.data;
    const apiBaseUrl = functionApiBaseUrl(invocation.host.cloud, invocation.host.apiBaseUrl);
    if (apiBaseUrl === null) {
      return finished("", failure(500, "CLOUD_UNKNOWN", "CS_CLOUD", `CS_CLOUD "${invocation.host.cloud}" names no Falcon cloud; use us-1, us-2, eu-1, us-gov-1 or us-gov-2`));
    }
    const envelope = envelopeSchema2.safeParse(invocation.envelope);
    if (!envelope.success) return finished(apiBaseUrl, failure(400, "ENVELOPE_INVALID", issueField(envelope.error), `The function request envelope is invalid: ${issueText(envelope.error)}`));
    const request = envelope.data;
    let nowMs = invocation.nowMs;
    const context = {
      executionId: headerValue(request.params.header ?? {}, "x-cs-executionid").slice(0, 128),
      apiBaseUrl,
      appId: invocation.host.appId,
      entropy: invocation.host.entropy,
      deadlineMs: FUNCTION_LIMITS.maxExecDurationSeconds * 1e3 - FUNCTION_LIMITS.deadlineMarginMs,
      nowMs: () => nowMs
    };
    const routed = route(request.method, request.url, request.body ?? null);
    if (routed.kind === "refused") return finished(apiBaseUrl, routed.response);
    const handler = routed.entry.handle(request.body, context);
    let done = null;
    const advance = (event) => {
      if (done !== null) return { kind: "respond", response: failure(500, "MACHINE_FINISHED", "event", "The invocation has already answered; the host resumed it again") };
      try {
        if (event !== null) nowMs = event.nowMs;
        const next = event === null ? handler.next() : handler.next(event);
        if (!next.done) return { kind: "io", command: next.value };
        done = next.value;
      } catch (error) {
        done = failure(500, "HANDLER_CRASHED", routed.entry.name, `The ${routed.entry.name} handler failed unexpectedly (${error instanceof Error ? error.message : String(error)}); nothing after the failure was written`);
      }
      return { kind: "respond", response: done };
    };
    return { apiBaseUrl, first: advance(null), resume: (event) => advance(event) };
  }
  function route(method, url, body) {
    const entry2 = PAGE_RUN_HANDLERS.find((h) => h.path === url);
    if (entry2 === void 0) {
      const known = PAGE_RUN_HANDLERS.map((h) => `${h.method} ${h.path}`).join(", ");
      return { kind: "refused", response: failure(404, "HANDLER_NOT_FOUND", "url", `No handler for ${url}; this function serves ${known}`) };
    }
    if (method.trim().toUpperCase() !== entry2.method) {
      return { kind: "refused", response: failure(405, "METHOD_NOT_ALLOWED", "method", `${entry2.path} takes ${entry2.method}, not ${method}`) };
    }
    const bytes = utf8Length(JSON.stringify(body));
    if (bytes > FUNCTION_LIMITS.requestBytes) {
      return { kind: "refused", response: failure(413, "REQUEST_TOO_LARGE", "body", `The request body is ${bytes} bytes; Foundry accepts at most ${FUNCTION_LIMITS.requestBytes}`) };
    }
    return { kind: "handler", entry: entry2 };
  }
  function finished(apiBaseUrl, response) {
    const first = { kind: "respond", response };
    return { apiBaseUrl, first, resume: () => first };
  }
  function failure(status, errorCode, field, message) {
    return badRequest(errorCode, field, message, status);
  }
  function headerValue(headers, name) {
    for (const [key, values] of Object.entries(headers)) if (key.toLowerCase() === name) return values[0] ?? "";
    return "";
  }
  function issueField(error) {
    const issue = error.issues[0];
    return issue === void 0 || issue.path.length === 0 ? "(envelope)" : issue.path.join(".");
  }
  function issueText(error) {
    const issue = error.issues[0];
    return issue === void 0 ? "unknown problem" : `${issue.path.join(".") || "(root)"}: ${issue.message}`;
  }

  // functions/handlers/embeddedFunction.ts
  var running = /* @__PURE__ */ new Map();
  var lastId = 0;
  function startFunctionJson(invocationJson) {
    let invocation;
    try {
      invocation = JSON.parse(invocationJson);
    } catch {
      invocation = null;
    }
    const machine = startFunction(invocation);
    const id = ++lastId;
    if (machine.first.kind === "io") running.set(id, machine);
    return answer({ id, apiBaseUrl: machine.apiBaseUrl, step: machine.first });
  }
  var eventSchema = external_exports.discriminatedUnion("kind", [
    external_exports.object({ kind: external_exports.literal("http-response"), nowMs: external_exports.number().finite(), status: external_exports.number().int().min(100).max(599), headers: external_exports.record(external_exports.string()) }).strict(),
    external_exports.object({ kind: external_exports.literal("http-error"), nowMs: external_exports.number().finite(), code: external_exports.enum(["reset", "timeout", "network"]), message: external_exports.string() }).strict(),
    external_exports.object({ kind: external_exports.literal("slept"), nowMs: external_exports.number().finite() }).strict(),
    external_exports.object({ kind: external_exports.literal("authenticated"), nowMs: external_exports.number().finite(), ok: external_exports.boolean(), retryable: external_exports.boolean().optional(), message: external_exports.string().optional() }).strict()
  ]);
  function resumeFunctionJson(id, eventJson, body) {
    const machine = running.get(id);
    if (machine === void 0) return answer({ id, apiBaseUrl: "", step: hostError("INVOCATION_UNKNOWN", `No invocation ${id} is running`) });
    let raw;
    try {
      raw = JSON.parse(eventJson);
    } catch {
      raw = null;
    }
    const parsed2 = eventSchema.safeParse(raw);
    let step2;
    if (!parsed2.success) {
      step2 = hostError("EVENT_INVALID", `The host reported an invalid event: ${parsed2.error.issues[0]?.message ?? "unknown problem"}`);
    } else {
      const event = parsed2.data.kind === "http-response" ? { ...parsed2.data, body: body ?? "" } : parsed2.data;
      step2 = machine.resume(event);
    }
    if (step2.kind === "respond") running.delete(id);
    return answer({ id, apiBaseUrl: machine.apiBaseUrl, step: step2 });
  }
  function abandonFunction(id) {
    running.delete(id);
  }
  function hostError(code, message) {
    return { kind: "respond", response: badRequest(code, "host", message, 500) };
  }
  function answer(value) {
    return JSON.stringify(value);
  }
  return __toCommonJS(embeddedFunction_exports);
})();
