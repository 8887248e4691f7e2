// Run by TestAtprotoAPI: the official client (@atproto/api) against the
// fake PDS. It resumes a session whose access token the fake expired
// (the library must refresh it), lets RichText find the facets of each
// text, uploads a picture, posts the first text with a link card, reads
// the post back and deletes it. It prints what it saw as JSON.
import { AtpAgent, RichText } from '@atproto/api'

const input = JSON.parse(process.argv[2])
const agent = new AtpAgent({ service: input.service })
await agent.resumeSession(input.session)

const facets = []
for (const text of input.texts) {
  const rt = new RichText({ text })
  await rt.detectFacets(agent)
  facets.push(rt.facets ?? [])
}

const image = Buffer.from(input.image, 'base64')
const { data: upload } = await agent.uploadBlob(image, { encoding: 'image/png' })
const rt = new RichText({ text: input.texts[0] })
await rt.detectFacets(agent)
const post = await agent.post({
  text: rt.text,
  facets: rt.facets,
  langs: ['fr'],
  createdAt: new Date().toISOString(),
  embed: {
    $type: 'app.bsky.embed.external',
    external: { uri: input.link, title: input.title, description: input.description, thumb: upload.blob },
  },
})
const rkey = post.uri.split('/').pop()
const { data: record } = await agent.com.atproto.repo.getRecord({
  repo: agent.session.did, collection: 'app.bsky.feed.post', rkey,
})
const { data: profile } = await agent.getProfile({ actor: agent.session.did })
await agent.deletePost(post.uri)

console.log(JSON.stringify({
  facets, uri: post.uri, cid: post.cid, record: record.value,
  displayName: profile.displayName, refreshed: agent.session.accessJwt !== input.session.accessJwt,
}))
