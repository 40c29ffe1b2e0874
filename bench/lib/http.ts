// A small keep-alive HTTP client for seeding and probing (the load itself is autocannon's).
import { Agent, request as httpRequest } from 'node:http'

export interface HttpResponse { status: number, headers: Record<string, string | string[] | undefined>, body: string }

export interface HttpRequest {
  method: string
  path: string
  headers?: Record<string, string>
  body?: string
}

export class HttpClient {
  private readonly agent: Agent
  private readonly url: URL

  constructor (baseUrl: string, maxSockets = 64) {
    this.url = new URL(baseUrl)
    this.agent = new Agent({ keepAlive: true, maxSockets })
  }

  async send ({ method, path, headers = {}, body }: HttpRequest): Promise<HttpResponse> {
    return await new Promise((resolve, reject) => {
      const req = httpRequest({
        agent: this.agent,
        host: this.url.hostname,
        port: this.url.port,
        method,
        path,
        headers: body === undefined ? headers : { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)), ...headers }
      }, (res) => {
        const chunks: Buffer[] = []
        res.on('data', (chunk: Buffer) => chunks.push(chunk))
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }))
        res.on('error', reject)
      })
      req.on('error', reject)
      req.end(body)
    })
  }

  /** Sends and insists on a 2xx answer; anything else throws with the status and body. */
  async expect2xx (request: HttpRequest): Promise<HttpResponse> {
    const res = await this.send(request)
    if (res.status < 200 || res.status > 299) {
      throw new Error(`${request.method} ${request.path} answered ${res.status}: ${res.body.slice(0, 300)}`)
    }
    return res
  }

  close (): void {
    this.agent.destroy()
  }
}
