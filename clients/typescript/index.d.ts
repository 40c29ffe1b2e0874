// Types of the sessiond client (index.js). paths, components and operations are generated from
// openapi.yaml into schema.d.ts; the names below are shorthands for the bodies used most.
import type { Client, ClientOptions } from 'openapi-fetch'
import type { components, operations, paths } from './schema.js'

export type { components, operations, paths } from './schema.js'

export type SessiondClient = Client<paths>

export interface SessiondClientOptions extends ClientOptions {
  /** Where sessiond runs, e.g. "https://sessions.example.com" (no trailing slash). */
  baseUrl: string
  /** An API key or an end-user JWT, sent as `authorization: Bearer <token>`; a function is called on every request (refresh a JWT there). */
  token?: string | (() => string | Promise<string>)
}

export declare function createSessiondClient (options: SessiondClientOptions): SessiondClient

/** An RFC 9457 problem document: `code` is what a client switches on. */
export type Problem = components['schemas']['Problem']

/** Every problem code an operation of the document can answer. */
export type ProblemCode = {
  [K in keyof components['responses']]: components['responses'][K]['content']['application/problem+json']['code']
}[keyof components['responses']]

/** The problem bodies operation `Id` can answer, with `code` narrowed to its codes (what openapi-fetch's `error` is). */
export type OperationProblem<Id extends keyof operations> = {
  [S in keyof operations[Id]['responses']]: operations[Id]['responses'][S] extends { content: { 'application/problem+json': infer P } } ? P : never
}[keyof operations[Id]['responses']]

export declare function isProblem (value: unknown): value is Problem

/** The `if-match` value for a session version: `"3"`. */
export declare function ifMatch (version: number): string

type Json<Id extends keyof operations, Status extends keyof operations[Id]['responses']> =
  operations[Id]['responses'][Status] extends { content: { 'application/json': infer B } } ? B : never
type Body<Id extends keyof operations> =
  operations[Id] extends { requestBody?: { content: { 'application/json': infer B } } } ? B : never

export type Session = components['schemas']['Session']
export type Progress = components['schemas']['Progress']
export type CreateSessionBody = Body<'createSession'>
export type UpdateSessionBody = Body<'updateSession'>
export type SessionSummary = Json<'getSessionSummary', 200>
export type SavedStep = Json<'saveStep', 200>
export type Step = Json<'getStep', 200>
export type Message = Json<'createMessage', 201>
export type CreateMessageBody = Body<'createMessage'>
export type MessagePage = Json<'listMessages', 200>
export type Finalized = Json<'finalizeSession', 200>
export type SessionPage = Json<'listUserSessions', 200>
